import { unzipSync, type UnzipFileInfo } from 'fflate';
import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import { coordinatesFromManifest, parseManifest, splitFileName } from './parse-manifest.js';
import { parsePomProperties, type MavenCoordinates } from './parse-pom-properties.js';

export interface ArchiveLimits {
  /** Archives inside archives followed this deep (a war's WEB-INF/lib jars are depth 1). */
  maxDepth: number;
  /** Bytes inflated for one file on disk, nested archives included; guards against zip bombs. */
  maxInflatedBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxDepth: 4, maxInflatedBytes: 256 * 1024 * 1024 };

export interface ArchiveResult {
  packages: FoundPackage[];
  warnings: string[];
}

/** Java archives by extension: jars, web and enterprise apps, JBoss/Jenkins plugin formats. */
export const ARCHIVE_EXTENSION = /\.(jar|war|ear|par|hpi|jpi)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MANIFEST = /^META-INF\/MANIFEST\.MF$/i;
/** pom.properties and manifests are a few KB; a bigger one is not what it claims to be. */
const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * Maven packages in a Java archive and in the archives nested in it (WEB-INF/lib, BOOT-INF/lib, an
 * ear's modules, shaded copies), read in memory:
 * - one package per `META-INF/maven/<g>/<a>/pom.properties` (a shaded jar carries several);
 * - an archive without any falls back to its manifest (see coordinatesFromManifest), and when that
 *   names no coordinates either, a warning says the archive went unidentified.
 * A package's path is the archive it was found in, nested ones written `outer.war!/WEB-INF/lib/x.jar`
 * (the jar: URL convention): the user can find it, and image assembly attributes it to the file on
 * disk, the part before the first `!`.
 */
export function parseJavaArchive(
  data: Uint8Array,
  path: string,
  limits = DEFAULT_ARCHIVE_LIMITS,
): ArchiveResult {
  const result: ArchiveResult = { packages: [], warnings: [] };
  const budget = { remaining: limits.maxInflatedBytes };
  readArchive(data, path, 0, { limits, budget, result });
  return result;
}

interface Walk {
  limits: ArchiveLimits;
  budget: { remaining: number };
  result: ArchiveResult;
}

function readArchive(data: Uint8Array, path: string, depth: number, walk: Walk): void {
  const skipped: string[] = [];
  const tooDeep: string[] = [];
  const entries = unzip(data, path, (entry) => {
    const nested = ARCHIVE_EXTENSION.test(entry.name);
    if (!nested && !POM_PROPERTIES.test(entry.name) && !MANIFEST.test(entry.name)) return false;
    if (nested && depth >= walk.limits.maxDepth) {
      tooDeep.push(entry.name);
      return false;
    }
    const cap = Math.min(walk.budget.remaining, nested ? Infinity : MAX_METADATA_BYTES);
    if (entry.originalSize > cap) {
      skipped.push(entry.name);
      return false;
    }
    walk.budget.remaining -= entry.originalSize;
    return true;
  });
  for (const name of tooDeep) {
    walk.result.warnings.push(
      `${path}!/${name}: nested deeper than ${walk.limits.maxDepth} archives; skipped`,
    );
  }
  for (const name of skipped) {
    walk.result.warnings.push(`${path}!/${name}: too large to inflate within this archive's limit; skipped`);
  }
  const names = Object.keys(entries).sort();
  const found = distinct(
    names.flatMap((name) => (POM_PROPERTIES.test(name) ? pomPackage(entries[name], path) : [])),
  );
  const own = found.length ? found : manifestPackage(entries, names, path);
  if (!('missing' in own)) walk.result.packages.push(...own);
  if (found.length && !describesItself(found, path)) {
    // A shaded jar carries its dependencies' pom.properties but not its own: name it from the manifest.
    const itself = manifestPackage(entries, names, path);
    if (!('missing' in itself)) walk.result.packages.push(...itself);
  }
  const before = walk.result.packages.length;
  for (const name of names.filter((candidate) => ARCHIVE_EXTENSION.test(candidate))) {
    const nested = entries[name];
    if (nested) readArchive(nested, `${path}!/${name}`, depth + 1, walk);
  }
  // A war or ear is mostly a container: unidentified only matters if nothing inside was identified.
  if ('missing' in own && walk.result.packages.length === before) {
    walk.result.warnings.push(
      `${path}: no pom.properties, and the manifest and file name give no ${own.missing}; archive not identified`,
    );
  }
}

/** Whether one of an archive's pom.properties is its own, judged by the artifactId in its file name. */
function describesItself(found: FoundPackage[], path: string): boolean {
  const { artifactId } = splitFileName(path);
  return !artifactId || found.some((pkg) => pkg.name.endsWith(`:${artifactId}`));
}

/** A jar can hold the same pom.properties under two paths (a shaded copy of itself). */
function distinct(packages: FoundPackage[]): FoundPackage[] {
  const seen = new Set<string>();
  return packages.filter((pkg) => {
    const id = `${pkg.name}@${pkg.version}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

function unzip(data: Uint8Array, path: string, filter: (entry: UnzipFileInfo) => boolean) {
  try {
    return unzipSync(data, { filter });
  } catch (error) {
    throw new PackageFileError(
      'JAVA_FILE_INVALID',
      path,
      `not a readable zip archive (${describe(error)})`,
      error,
    );
  }
}

function pomPackage(bytes: Uint8Array | undefined, path: string): FoundPackage[] {
  const coordinates = bytes ? parsePomProperties(Buffer.from(bytes).toString('utf8')) : null;
  return coordinates ? [maven(coordinates, path)] : [];
}

function manifestPackage(
  entries: Record<string, Uint8Array>,
  names: string[],
  path: string,
): FoundPackage[] | { missing: string } {
  const manifestName = names.find((name) => MANIFEST.test(name));
  const manifest = manifestName ? entries[manifestName] : undefined;
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const coordinates = coordinatesFromManifest(
    parseManifest(manifest ? Buffer.from(manifest).toString('utf8') : ''),
    fileName,
  );
  return 'missing' in coordinates ? coordinates : [maven(coordinates, path)];
}

function maven({ groupId, artifactId, version }: MavenCoordinates, path: string): FoundPackage {
  return { type: 'maven', name: `${groupId}:${artifactId}`, version, path };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
