/** The MIME types of Harbor's pluggable scanner spec v1.2, exactly as it writes them. */
export const MIME = {
  metadata: 'application/vnd.scanner.adapter.metadata+json; version=1.1',
  metadataV1_0: 'application/vnd.scanner.adapter.metadata+json; version=1.0',
  scanRequest: 'application/vnd.scanner.adapter.scan.request+json; version=1.1',
  scanRequestV1_0: 'application/vnd.scanner.adapter.scan.request+json; version=1.0',
  scanResponse: 'application/vnd.scanner.adapter.scan.response+json; version=1.0',
  error: 'application/vnd.scanner.adapter.error+json; version=1.0',
  vulnerabilityReport: 'application/vnd.security.vulnerability.report; version=1.1',
  /** What Harbor before 2.x asks for; the same document. */
  harborVulnerabilityReport: 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0',
  rawReport: 'application/vnd.scanner.adapter.vuln.report.raw',
  sbomReport: 'application/vnd.security.sbom.report+json; version=1.0',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export const SBOM_MEDIA_TYPES = ['application/spdx+json', 'application/vnd.cyclonedx+json'] as const;
export type SbomMediaType = (typeof SBOM_MEDIA_TYPES)[number];

/** The artifacts Customs scans for Harbor: image manifests (Harbor sends each platform's on its own). */
export const CONSUMED_MIME_TYPES: readonly string[] = [MIME.ociManifest, MIME.dockerManifest];

export type ReportKind =
  | {
      kind: 'vulnerability';
      mediaType: typeof MIME.vulnerabilityReport | typeof MIME.harborVulnerabilityReport;
    }
  | { kind: 'sbom'; mediaType: typeof MIME.sbomReport }
  | { kind: 'unsupported'; mediaType: string };

/**
 * The report an Accept header asks for. Harbor sends exactly one MIME type; parameters are compared
 * without regard to spacing or case. No Accept (or any type) means the vulnerability report.
 */
export function reportKindOf(accept: string | undefined): ReportKind {
  const wanted = normalize(accept ?? '');
  if (wanted === '' || wanted === '*/*')
    return { kind: 'vulnerability', mediaType: MIME.vulnerabilityReport };
  if (wanted === normalize(MIME.vulnerabilityReport))
    return { kind: 'vulnerability', mediaType: MIME.vulnerabilityReport };
  if (wanted === normalize(MIME.harborVulnerabilityReport))
    return { kind: 'vulnerability', mediaType: MIME.harborVulnerabilityReport };
  if (wanted === normalize(MIME.sbomReport)) return { kind: 'sbom', mediaType: MIME.sbomReport };
  return { kind: 'unsupported', mediaType: accept ?? '' };
}

/** The metadata version an Accept header asks for: 1.0 only when it names 1.0. */
export function metadataTypeFor(accept: string | undefined): string {
  return normalize(accept ?? '') === normalize(MIME.metadataV1_0) ? MIME.metadataV1_0 : MIME.metadata;
}

/** Whether a Content-Type is a scan request (either version) or plain JSON. */
export function isScanRequestType(contentType: string | undefined): boolean {
  const type = normalize(contentType ?? '');
  return (
    type === normalize(MIME.scanRequest) ||
    type === normalize(MIME.scanRequestV1_0) ||
    type.split(';')[0] === 'application/json'
  );
}

/** `Type/Sub ; Version=1.1` → `type/sub;version=1.1` (a charset parameter is dropped). */
function normalize(value: string): string {
  return value
    .split(';')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '' && !part.startsWith('charset='))
    .join(';');
}
