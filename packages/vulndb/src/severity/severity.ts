import { severityForCvssScore, type RatedSeverity, type Severity } from '@customs/model';
import type { OsvAffected, OsvRecord, OsvSeverity } from '../osv/osv-record.js';
import { scoreCvss } from './cvss.js';

/** How an advisory rates a flaw: a rung of the one severity ladder, and what it was read from. */
export interface AdvisorySeverity {
  rating: Severity;
  /** CVSS base score when the rating comes from a vector. */
  score: number | null;
  vector: string | null;
  /** Where the rating came from: `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, `database_specific`, `Ubuntu`, `Debian`, or `none`. */
  source: string;
}

export const UNKNOWN_SEVERITY: AdvisorySeverity = {
  rating: 'UNKNOWN',
  score: null,
  vector: null,
  source: 'none',
};

/**
 * CVSS 3.x first: nearly every record has it, so ratings stay comparable across records, and it is
 * what GHSA's own label follows (GHSA-qw6h-vgh9-j6wx: 3.1 scores 5.0 "MODERATE", its 4.0 vector 2.3).
 * 4.0 when a record has only that, 2.0 when nothing newer is there.
 */
const CVSS_PREFERENCE = [
  ['CVSS_V3', 3],
  ['CVSS_V4', 4],
  ['CVSS_V2', 2],
] as const;

/** The severity from an OSV `severity` array, or null when it holds no usable entry. */
export function severityFromEntries(
  entries: readonly OsvSeverity[] | null | undefined,
): AdvisorySeverity | null {
  if (!entries) return null;
  for (const [type, version] of CVSS_PREFERENCE) {
    for (const entry of entries.filter((candidate) => candidate.type === type)) {
      const scored = scoreCvss(entry.score);
      if (scored)
        return {
          rating: severityForCvssScore(scored.score, version),
          score: scored.score,
          vector: scored.vector,
          source: type,
        };
    }
  }
  const ubuntu = entries.find((entry) => entry.type === 'Ubuntu');
  const rating = ubuntu ? ratingFromWord(ubuntu.score) : null;
  return rating ? { rating, score: null, vector: null, source: 'Ubuntu' } : null;
}

/**
 * GHSA writes CRITICAL/HIGH/MODERATE/LOW, Ubuntu priorities are negligible…critical, Debian's
 * urgency is unimportant/low/medium/high. Values that rate nothing ("not yet assigned") give null.
 */
export function ratingFromWord(word: unknown): RatedSeverity | null {
  if (typeof word !== 'string') return null;
  switch (word.trim().toLowerCase().replace(/\*+$/, '')) {
    case 'critical':
      return 'CRITICAL';
    case 'high':
    case 'important':
      return 'HIGH';
    case 'moderate':
    case 'medium':
      return 'MEDIUM';
    case 'low':
    case 'negligible':
    case 'unimportant':
      return 'LOW';
    default:
      return null;
  }
}

/**
 * A record's severity: its CVSS vectors, else those of its affected entries (the spec forbids both),
 * else what the database wrote in words (GHSA `database_specific.severity`, distro urgency or priority).
 */
export function severityOfRecord(record: OsvRecord): AdvisorySeverity {
  const fromVectors =
    severityFromEntries(record.severity) ??
    firstOf((record.affected ?? []).map((entry) => severityFromEntries(entry.severity)));
  if (fromVectors) return fromVectors;
  const words = [
    record.database_specific,
    ...(record.affected ?? []).flatMap((entry) => [entry.database_specific, entry.ecosystem_specific]),
  ];
  for (const bag of words) {
    const rated = severityFromWords(bag);
    if (rated) return rated;
  }
  return UNKNOWN_SEVERITY;
}

/** The severity an affected entry states for itself, or null to use the record's. */
export function severityOfAffected(entry: OsvAffected): AdvisorySeverity | null {
  return (
    severityFromEntries(entry.severity) ??
    severityFromWords(entry.ecosystem_specific) ??
    severityFromWords(entry.database_specific)
  );
}

const WORD_FIELDS: ReadonlyArray<readonly [field: string, source: string]> = [
  ['severity', 'database_specific'],
  ['urgency', 'Debian'],
  ['priority', 'Ubuntu'],
];

function severityFromWords(bag: Record<string, unknown> | null | undefined): AdvisorySeverity | null {
  if (!bag) return null;
  for (const [field, source] of WORD_FIELDS) {
    const rating = ratingFromWord(bag[field]);
    if (rating) return { rating, score: null, vector: null, source };
  }
  return null;
}

function firstOf(values: ReadonlyArray<AdvisorySeverity | null>): AdvisorySeverity | null {
  return values.find((value): value is AdvisorySeverity => value !== null) ?? null;
}
