/** The artifact type and media types of a bundle, in files and in registries. */
export const BUNDLE_ARTIFACT_TYPE = 'application/vnd.customs.vulndb.v1';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.customs.vulndb.bundle.v1.tar+gzip';
export const BUNDLE_SCHEMA_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';
export const ADVISORIES_FILE = 'advisories.ndjson';
export const SOURCES_FILE = 'sources.json';
/** What the CVE List said of the CVEs unrated advisories alias (vulndb_cve_severity); absent in older bundles. */
export const CVE_SEVERITIES_FILE = 'cve-severities.json';

export interface BundleManifest {
  mediaType: typeof BUNDLE_ARTIFACT_TYPE;
  schemaVersion: number;
  /** The exporting database's data version (0 when it had none). */
  dataVersion: number;
  createdAt: string;
  counts: { advisories: number; ecosystems: Record<string, number> };
  files: Array<{ name: string; size: number; sha256: string }>;
}

/** Checks the shape of a manifest read from a bundle; returns a problem, or null when it is one we write. */
export function manifestProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'manifest.json is not an object';
  const manifest = value as Partial<BundleManifest>;
  if (manifest.mediaType !== BUNDLE_ARTIFACT_TYPE)
    return `manifest.json mediaType is ${String(manifest.mediaType)}`;
  if (manifest.schemaVersion !== BUNDLE_SCHEMA_VERSION)
    return `bundle schema version ${String(manifest.schemaVersion)}, this Customs reads ${BUNDLE_SCHEMA_VERSION}`;
  if (
    !Array.isArray(manifest.files) ||
    typeof manifest.dataVersion !== 'number' ||
    typeof manifest.counts !== 'object'
  )
    return 'manifest.json lacks files, dataVersion or counts';
  for (const file of manifest.files) {
    if (
      typeof file?.name !== 'string' ||
      typeof file.size !== 'number' ||
      !/^[0-9a-f]{64}$/.test(String(file.sha256))
    )
      return 'manifest.json lists a file without name, size or sha256';
  }
  if (!manifest.files.some((file) => file.name === ADVISORIES_FILE))
    return `manifest.json does not list ${ADVISORIES_FILE}`;
  return null;
}
