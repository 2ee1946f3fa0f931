import {
  OS_PACKAGE_TYPES,
  type CoveredPackage,
  type Distro,
  type Finding,
  type Package,
  type UnmatchedPackage,
} from '@customs/model';
import {
  affectedQueriesFor,
  defaultSchemes,
  distroEcosystem,
  evaluateAffected,
  type AffectedQuery,
  type AffectedRow,
  type SchemeResolver,
  type VulnDbReader,
} from '@customs/vulndb';
import { mergeAliases, type Match } from './merge-aliases.js';

export interface MatchOptions {
  /**
   * Also match language packages whose files an OS package owns against upstream advisories. Off by
   * default: the distro backports fixes without changing the upstream version, so upstream ranges
   * would raise false alarms (Trivy and Grype behave the same way).
   */
  includeOsOwned?: boolean;
  schemes?: SchemeResolver;
}

export interface MatchResult {
  findings: Finding[];
  covered: CoveredPackage[];
  unmatched: UnmatchedPackage[];
  warnings: string[];
}

export interface MatchableInventory {
  distro: Distro | null;
  packages: readonly Package[];
}

/**
 * Findings for an inventory against the vulnerability data as it is now. Nothing here is cached: the
 * data changes, the inventory does not, so matching happens whenever a report is asked for.
 */
export async function matchInventory(
  inventory: MatchableInventory,
  reader: VulnDbReader,
  options: MatchOptions = {},
): Promise<MatchResult> {
  const { distro } = inventory;
  const covered: CoveredPackage[] = [];
  const candidates: Package[] = [];
  for (const pkg of inventory.packages) {
    if (pkg.ownedBy && !options.includeOsOwned) covered.push({ package: summary(pkg), ownedBy: pkg.ownedBy });
    else candidates.push(pkg);
  }
  const queries: AffectedQuery[] = [];
  const queryOwner: number[] = [];
  candidates.forEach((pkg, index) => {
    for (const query of affectedQueriesFor(pkg, distro)) {
      queries.push(query);
      queryOwner.push(index);
    }
  });
  const schemes = options.schemes ?? defaultSchemes;
  // Judged at the version evaluate() compares, so the rows left out are ones it would find clean.
  const versions = queryOwner.map((owner) => comparedVersion(candidates[owner] as Package));
  const rows = await reader.affectedFor(queries, { versions, resolve: schemes });
  const { matches, unmatched } = evaluate(candidates, rows, queryOwner, schemes);
  return {
    findings: mergeAliases(matches),
    covered,
    unmatched: [...unmatched, ...runtimesWithoutAdvisories(candidates)],
    warnings: unsupportedDistroWarning(distro, candidates),
  };
}

function evaluate(
  candidates: readonly Package[],
  rows: readonly AffectedRow[],
  queryOwner: readonly number[],
  schemes: SchemeResolver,
): { matches: Match[]; unmatched: UnmatchedPackage[] } {
  const byPackageAndAdvisory = new Map<string, { pkg: Package; rows: AffectedRow[] }>();
  for (const row of rows) {
    const owner = queryOwner[row.query];
    const pkg = owner === undefined ? undefined : candidates[owner];
    if (!pkg) continue;
    const key = `${owner}\0${row.advisoryId}`;
    const group = byPackageAndAdvisory.get(key) ?? { pkg, rows: [] };
    group.rows.push(row);
    byPackageAndAdvisory.set(key, group);
  }
  const matches: Match[] = [];
  const failures = new Map<Package, string>();
  for (const { pkg, rows: records } of byPackageAndAdvisory.values()) {
    const verdict = evaluateAffected(records, comparedVersion(pkg), schemes);
    if (verdict.status === 'affected')
      matches.push({ pkg, row: records[0] as AffectedRow, fixed: verdict.fixed });
    if (verdict.status === 'error' && !failures.has(pkg)) failures.set(pkg, verdict.error.message);
  }
  const unmatched = [...failures].map(([pkg, reason]) => ({ package: summary(pkg), reason }));
  return { matches, unmatched };
}

/**
 * Distro advisories give fixed versions of the source package, so an OS package is compared by its
 * source version (a binNMU `+b1` binary still carries its source's fix or lack of it).
 */
function comparedVersion(pkg: Package): string {
  return OS_PACKAGE_TYPES.includes(pkg.type) && pkg.source ? pkg.source.version : pkg.version;
}

function unsupportedDistroWarning(distro: Distro | null, candidates: readonly Package[]): string[] {
  const osPackages = candidates.filter((pkg) => OS_PACKAGE_TYPES.includes(pkg.type)).length;
  if (osPackages === 0) return [];
  if (!distro) return [`the distribution is unknown: its ${osPackages} OS packages were not matched`];
  if (distroEcosystem(distro)) return [];
  const name = `${distro.id} ${distro.versionId ?? ''}`.trim();
  return [`no vulnerability data source covers ${name}: its ${osPackages} OS packages were not matched`];
}

function summary(pkg: Package): Finding['package'] {
  return { type: pkg.type, name: pkg.name, version: pkg.version, purl: pkg.purl };
}

/**
 * Runtimes found by their binary (`generic` purls: node, python, openjdk) have no OSV ecosystem to be
 * looked up in: they are said to be unjudged rather than silently taken for clean.
 */
function runtimesWithoutAdvisories(candidates: readonly Package[]): UnmatchedPackage[] {
  return candidates
    .filter((pkg) => pkg.type === 'generic')
    .map((pkg) => ({
      package: summary(pkg),
      reason: `no advisory source: OSV has no ecosystem for the ${pkg.name} runtime itself, so it is listed but not matched`,
    }));
}
