import {
  severityRank,
  type Cvss,
  type Finding,
  type Package,
  type Severity,
  type SeveritySource,
} from '@customs/model';
import { defaultSchemes, type AffectedRow } from '@customs/vulndb';

/** One advisory record that affects one package. */
export interface Match {
  pkg: Package;
  row: AffectedRow;
  fixed: string | null;
}

/**
 * Records about the same flaw in the same package (a GHSA, its CVE, a PYSEC naming both) become one
 * finding: two records are the same flaw when one's id or aliases meet the other's.
 */
export function mergeAliases(matches: readonly Match[]): Finding[] {
  const byPackage = new Map<Package, Match[]>();
  for (const match of matches) byPackage.set(match.pkg, [...(byPackage.get(match.pkg) ?? []), match]);
  return [...byPackage.values()]
    .flatMap((group) => groupsOfSameFlaw(group).map(toFinding))
    .sort(byPackageThenId);
}

function byPackageThenId(a: Finding, b: Finding): number {
  return (
    a.package.type.localeCompare(b.package.type) ||
    a.package.name.localeCompare(b.package.name) ||
    a.package.version.localeCompare(b.package.version) ||
    a.path.localeCompare(b.path) ||
    a.id.localeCompare(b.id)
  );
}

function groupsOfSameFlaw(matches: readonly Match[]): Match[][] {
  const groups: Array<{ names: Set<string>; matches: Match[] }> = [];
  for (const match of matches) {
    const names = new Set(namesOf(match.row));
    const meeting = groups.filter((group) => [...names].some((name) => group.names.has(name)));
    const merged = { names, matches: [match] };
    for (const group of meeting) {
      group.names.forEach((name) => merged.names.add(name));
      merged.matches.push(...group.matches);
      groups.splice(groups.indexOf(group), 1);
    }
    groups.push(merged);
  }
  return groups.map((group) => group.matches);
}

function toFinding(matches: Match[]): Finding {
  const first = matches[0] as Match;
  const names = new Set(matches.flatMap((match) => namesOf(match.row)));
  const id = preferredId([...names]);
  const rated = mostSevere(matches);
  return {
    id,
    aliases: [...names].filter((name) => name !== id).sort(),
    summary: matches.find((match) => match.row.summary)?.row.summary ?? null,
    severity: rated.severity,
    severitySource: rated.source,
    cvss: rated.cvss,
    package: { type: first.pkg.type, name: first.pkg.name, version: first.pkg.version, purl: first.pkg.purl },
    fixedVersion: highestFix(matches),
    layer: first.pkg.layer,
    path: first.pkg.path,
    advisories: [...new Set(matches.map((match) => `osv:${match.row.advisoryId}`))].sort(),
  };
}

/**
 * What a record is called: its id, its aliases, and — when it derives from exactly one CVE (a Debian
 * DLA fixing one flaw) — that CVE's names, so it meets the CVE's other records. A record fixing several
 * CVEs keeps its own name: merging on those would fold distinct flaws into one finding.
 */
function namesOf(row: AffectedRow): string[] {
  const upstreamCves = row.upstream.filter((name) => name.startsWith('CVE-'));
  return [row.advisoryId, ...row.aliases, ...(upstreamCves.length === 1 ? row.upstream : [])];
}

/** The CVE when there is one (what policies and people search by), else the first record id in a stable order. */
function preferredId(names: readonly string[]): string {
  const sorted = [...names].sort();
  return sorted.find((name) => name.startsWith('CVE-')) ?? (sorted[0] as string);
}

function mostSevere(matches: readonly Match[]): {
  severity: Severity;
  source: SeveritySource | null;
  cvss: Cvss | null;
} {
  const rated = matches.map((match) => ({
    severity: match.row.severity.rating,
    source: match.row.severitySource,
    cvss: cvssOf(match.row),
  }));
  rated.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  return rated[0] ?? { severity: 'UNKNOWN', source: null, cvss: null };
}

function cvssOf(row: AffectedRow): Cvss | null {
  const { score, vector } = row.severity;
  if (score === null || vector === null) return null;
  const version = /^CVSS:(\d\.\d)\//.exec(vector)?.[1] ?? '2.0';
  return { version, vector, score };
}

/**
 * When records disagree on the fix, upgrading to the highest one clears them all; a record with no
 * known fix does not hide the others' fixes.
 */
function highestFix(matches: readonly Match[]): string | null {
  const fixes = matches.filter((match) => match.fixed !== null);
  let best: Match | null = null;
  for (const match of fixes) {
    if (best === null || compareFix(match, best) > 0) best = match;
  }
  return best?.fixed ?? null;
}

function compareFix(a: Match, b: Match): number {
  try {
    return defaultSchemes(a.row.ecosystem, 'ECOSYSTEM').compare(a.fixed as string, b.fixed as string);
  } catch {
    return 0;
  }
}
