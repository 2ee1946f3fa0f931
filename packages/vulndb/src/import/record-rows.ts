import { splitEcosystem } from '../ecosystem/ecosystem-name.js';
import { packageNameKey } from '../ecosystem/package-name.js';
import type { OsvRecord } from '../osv/osv-record.js';
import type { AffectedRange, AffectedRanges } from '../ranges/affected-ranges.js';
import { evaluateAffected } from '../ranges/evaluate-affected.js';
import { severityOfAffected, severityOfRecord, type AdvisorySeverity } from '../severity/severity.js';

/** A record ready to write: the rows of both tables, shaped as the columns are named. */
export interface RecordRows {
  advisory: AdvisoryRow;
  affected: AffectedRow[];
  /** Distinct ecosystem bases the record names; import counts it once under each. */
  ecosystems: string[];
  gitRanges: number;
}

export interface AdvisoryRow {
  id: string;
  modified: string;
  published: string | null;
  aliases: string[];
  related: string[];
  upstream: string[];
  summary: string | null;
  details: string | null;
  severity: unknown;
  severity_rating: string;
  severity_score: number | null;
  severity_vector: string | null;
  severity_source: string;
  refs: unknown;
  database_specific: unknown;
  record: unknown;
  source: string;
}

export interface AffectedRow {
  advisory_id: string;
  ordinal: number;
  ecosystem: string;
  ecosystem_base: string;
  ecosystem_release: string | null;
  release_key: string | null;
  package_name: string;
  name_key: string;
  purl: string | null;
  ranges: AffectedRange[];
  versions: string[];
  /** Listed versions the ranges do not already cover (see uncoveredVersions). */
  versions_extra: string[];
  git_ranges: number;
  severity: AdvisorySeverity | null;
}

/** Where a record without an ecosystem is counted. */
export const NO_ECOSYSTEM = '(unknown)';

export function recordRows(record: OsvRecord, document: unknown, source: string): RecordRows {
  const severity = severityOfRecord(record);
  const affected: AffectedRow[] = [];
  let gitRanges = 0;
  (record.affected ?? []).forEach((entry, ordinal) => {
    const ranges = entry.ranges ?? [];
    const git = ranges.filter((range) => range.type === 'GIT').length;
    gitRanges += git;
    if (!entry.package) return;
    const { base, release, releaseKey } = splitEcosystem(entry.package.ecosystem);
    const evaluated = ranges
      .filter((range) => range.type !== 'GIT')
      .map((range) => ({ type: range.type, events: range.events }));
    const versions = entry.versions ?? [];
    affected.push({
      advisory_id: record.id,
      ordinal,
      ecosystem: entry.package.ecosystem,
      ecosystem_base: base,
      ecosystem_release: release,
      release_key: releaseKey,
      package_name: entry.package.name,
      name_key: packageNameKey(base, entry.package.name),
      purl: entry.package.purl ?? null,
      ranges: evaluated,
      versions,
      versions_extra: uncoveredVersions({ ecosystem: entry.package.ecosystem, ranges: evaluated, versions }),
      git_ranges: git,
      severity: severityOfAffected(entry),
    });
  });
  const ecosystems = [...new Set(affected.map((row) => row.ecosystem_base))].sort();
  return {
    advisory: {
      id: record.id,
      modified: record.modified,
      published: record.published ?? null,
      aliases: record.aliases ?? [],
      related: record.related ?? [],
      upstream: record.upstream ?? [],
      summary: record.summary ?? null,
      details: record.details ?? null,
      severity: record.severity ?? null,
      severity_rating: severity.rating,
      severity_score: severity.score,
      severity_vector: severity.vector,
      severity_source: severity.source,
      refs: record.references ?? null,
      database_specific: record.database_specific ?? null,
      record: document,
      source,
    },
    affected,
    ecosystems: ecosystems.length > 0 ? ecosystems : [NO_ECOSYSTEM],
    gitRanges,
  };
}

/**
 * The listed versions that the entry's own ranges do not already mark affected. A version in the
 * list is affected; when the ranges say so too the list adds nothing a lookup needs. OSV.dev fills
 * `versions` by enumerating the ranges, so this is usually empty. Versions the ranges cannot decide
 * (unparseable, other scheme) are kept.
 */
export function uncoveredVersions(entry: AffectedRanges): string[] {
  if (entry.versions.length === 0 || entry.ranges.length === 0) return [...entry.versions];
  const rangesOnly = { ...entry, versions: [] };
  return entry.versions.filter((version) => evaluateAffected([rangesOnly], version).status !== 'affected');
}

/** The ecosystem bases a document names, read leniently: for counting records that failed validation. */
export function ecosystemsOfDocument(document: unknown): string[] {
  const affected =
    typeof document === 'object' && document !== null && 'affected' in document ? document.affected : null;
  if (!Array.isArray(affected)) return [NO_ECOSYSTEM];
  const bases = new Set<string>();
  for (const entry of affected) {
    const ecosystem =
      typeof entry === 'object' && entry !== null && 'package' in entry ? ecosystemOf(entry.package) : null;
    if (ecosystem) bases.add(splitEcosystem(ecosystem).base);
  }
  return bases.size > 0 ? [...bases].sort() : [NO_ECOSYSTEM];
}

function ecosystemOf(pkg: unknown): string | null {
  if (typeof pkg !== 'object' || pkg === null || !('ecosystem' in pkg)) return null;
  return typeof pkg.ecosystem === 'string' && pkg.ecosystem !== '' ? pkg.ecosystem : null;
}
