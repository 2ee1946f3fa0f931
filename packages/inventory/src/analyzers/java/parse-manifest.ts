import type { MavenCoordinates } from './parse-pom-properties.js';

/**
 * The main section of `META-INF/MANIFEST.MF`: `Name: value` headers up to the first blank line,
 * continuation lines starting with one space. Header names are case-insensitive (JAR spec), so keys
 * are lower-cased.
 */
export function parseManifest(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  let last: string | null = null;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') && last) {
      headers.set(last, (headers.get(last) ?? '') + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}

export type ManifestCoordinates = MavenCoordinates | { missing: 'groupId' | 'artifactId' | 'version' };

const TOKEN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const VERSION = /^\d[0-9A-Za-z._+-]*$/;
/** Reverse-DNS, first label lower case: how group ids look; vendor names ("Apache") do not. */
const REVERSE_DNS = /^[a-z][a-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

/**
 * Maven coordinates of an archive that has no pom.properties, from its manifest and file name.
 * A manifest has no groupId field, so this guesses; the rules only take values already shaped like
 * Maven identifiers, never free text (titles, vendor names), and give up rather than invent:
 * - artifactId: the file name without its version (`guava-27.0-jre.jar` → guava): archives in
 *   images are named `<artifactId>-<version>.jar` by Maven, Gradle and distributions alike;
 * - version: Implementation-Version, the file name's version, Specification-Version (often just
 *   the API's major version: jna's is "5"), then Bundle-Version (OSGi rewrites versions: 27.0-jre
 *   becomes 27.0.0.jre);
 * - groupId: Implementation-Vendor-Id, which maven-archiver fills with the groupId, if it is
 *   reverse-DNS shaped. It is still a guess: Apache Commons jars carry `org.apache`. Measured on the
 *   373 jars without pom.properties in a local Maven repository, it named 13 right and 5 wrong.
 *   Bundle-SymbolicName is not used: read as `<group>.<artifactId>` (maven-bundle-plugin's default)
 *   it named 12 right and 18 wrong there, because bundles are often named after their Java package
 *   (org.objectweb.asm for org.ow2.asm:asm, com.sun.jna for net.java.dev.jna:jna) or after the
 *   group alone (com.google.guava) — a coin flip is an invented name, not an identification.
 */
export function coordinatesFromManifest(
  manifest: ReadonlyMap<string, string>,
  fileName: string,
): ManifestCoordinates {
  const declared = versionShaped(manifest.get('implementation-version'));
  const fromName = splitFileName(fileName, declared);
  const artifactId = fromName.artifactId;
  if (!artifactId) return { missing: 'artifactId' };
  const version =
    declared ??
    fromName.version ??
    versionShaped(manifest.get('specification-version')) ??
    versionShaped(manifest.get('bundle-version'));
  if (!version) return { missing: 'version' };
  const groupId = groupFromVendorId(manifest);
  if (!groupId) return { missing: 'groupId' };
  return { groupId, artifactId, version };
}

/**
 * `<artifactId>-<version>.<ext>`. With the version known from the manifest the split is exact
 * (zstd-jni-1.5.7-4.jar); otherwise the version starts after the last `-` followed by a digit
 * (log4j-1.2-api-2.17.1.jar → log4j-1.2-api).
 */
export function splitFileName(
  fileName: string,
  knownVersion: string | null = null,
): { artifactId: string | null; version: string | null } {
  const stem = fileName.replace(/^.*\//, '').replace(/\.[A-Za-z]+$/, '');
  const exact =
    knownVersion && stem.endsWith(`-${knownVersion}`) ? stem.slice(0, -knownVersion.length - 1) : null;
  const match = exact ? null : /^(.+)-(\d[^-]*(?:-[^\d][^-]*)*)$/.exec(stem);
  const artifactId = exact ?? match?.[1] ?? stem;
  const version = exact ? knownVersion : (match?.[2] ?? null);
  return { artifactId: TOKEN.test(artifactId) ? artifactId : null, version };
}

function versionShaped(value: string | undefined): string | null {
  return value !== undefined && VERSION.test(value) ? value : null;
}

function groupFromVendorId(manifest: ReadonlyMap<string, string>): string | null {
  const vendorId = manifest.get('implementation-vendor-id');
  return vendorId && REVERSE_DNS.test(vendorId) ? vendorId : null;
}
