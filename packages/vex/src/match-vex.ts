import { PackageURL } from 'packageurl-js';
import type { VexComponentIds, VexProduct, VexStatement } from './vex-document.js';

/** What a statement is matched against: a finding's names and package. */
export interface VexFinding {
  id: string;
  aliases: readonly string[];
  package: { purl: string };
}

/** The image a finding is in: its manifest digest, and the index digest it was pulled by, if any. */
export interface VexImage {
  digests: readonly string[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The statement that decides a finding in an image, or null when none applies. A statement applies
 * when its vulnerability's name or an alias is the finding's id or alias, one of its products is the
 * image (a digest, `repository@digest` or a `pkg:oci` purl with the digest as version), and that
 * product names no subcomponents or one whose purl is the finding's package. Of several, the latest
 * by timestamp wins; at equal timestamps the one given last.
 */
export function statementFor(
  statements: readonly VexStatement[],
  finding: VexFinding,
  image: VexImage,
): VexStatement | null {
  const names = new Set([finding.id, ...finding.aliases].map((name) => name.toUpperCase()));
  let latest: VexStatement | null = null;
  for (const statement of statements) {
    if (!statement.vulnerability.some((name) => names.has(name.toUpperCase()))) continue;
    if (!statement.products.some((product) => productCovers(product, finding.package.purl, image))) continue;
    if (latest === null || statement.timestamp.getTime() >= latest.timestamp.getTime()) latest = statement;
  }
  return latest;
}

/** What a report shows of the statement that decides a finding. */
export function vexSummary(statement: VexStatement | null) {
  if (statement === null) return null;
  const { status, justification, impactStatement, author, document } = statement;
  return { status, justification, impactStatement, author, document };
}

/** The digests a statement's products name: where to look a document up by image. */
export function productDigests(statements: readonly VexStatement[]): string[] {
  const digests = statements.flatMap((statement) =>
    statement.products.flatMap((product) => product.ids.map(digestOf)),
  );
  return [...new Set(digests.filter((digest): digest is string => digest !== null))].sort();
}

function productCovers(product: VexProduct, purl: string, image: VexImage): boolean {
  if (!product.ids.some((id) => image.digests.includes(digestOf(id) ?? ''))) return false;
  return product.subcomponents.length === 0 || product.subcomponents.some((ids) => namesPackage(ids, purl));
}

/** The image digest an identifier names: `sha256:…`, `registry/repo@sha256:…` or `pkg:oci/…@sha256:…`. */
export function digestOf(id: string): string | null {
  if (id.startsWith('pkg:')) {
    const purl = parsePurl(id);
    return purl?.type === 'oci' && purl.version && DIGEST.test(purl.version) ? purl.version : null;
  }
  const digest = id.slice(id.lastIndexOf('@') + 1);
  return DIGEST.test(digest) ? digest : null;
}

function namesPackage(ids: VexComponentIds, purl: string): boolean {
  const installed = parsePurl(purl);
  return installed !== null && ids.some((id) => samePackage(parsePurl(id), installed));
}

/**
 * The subcomponent's purl names the installed package: same type, namespace and name; same version
 * when it gives one; and each qualifier it gives (arch, distro) has the installed package's value.
 * Qualifier order and qualifiers it leaves out do not matter.
 */
function samePackage(stated: PackageURL | null, installed: PackageURL): boolean {
  if (stated === null) return false;
  if (stated.type !== installed.type || stated.name !== installed.name) return false;
  if ((stated.namespace ?? '') !== (installed.namespace ?? '')) return false;
  if (stated.version && stated.version !== installed.version) return false;
  return Object.entries(stated.qualifiers ?? {}).every(
    ([key, value]) => installed.qualifiers?.[key] === value,
  );
}

function parsePurl(text: string): PackageURL | null {
  try {
    return PackageURL.fromString(text);
  } catch {
    return null;
  }
}
