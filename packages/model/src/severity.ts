/** The severities an advisory can rate a flaw with, most severe first. */
export const RATED_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NEGLIGIBLE'] as const;
export type RatedSeverity = (typeof RATED_SEVERITIES)[number];

/**
 * The one severity ladder of Customs, most severe first. UNKNOWN is last: no advisory record rates
 * the flaw (most Go standard-library records), which says nothing about how bad it is.
 */
export const SEVERITIES = [...RATED_SEVERITIES, 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Who rated a finding: the advisory record itself (`osv`), or — for a record that rates nothing — the
 * CNA or an ADP (CISA's Vulnrichment) of the CVE List record of the CVE it aliases.
 */
export const SEVERITY_SOURCES = ['osv', 'cve-cna', 'cve-adp'] as const;
export type SeveritySource = (typeof SEVERITY_SOURCES)[number];

/** How many findings have each severity; every severity is present. */
export type SeverityCounts = Record<Severity, number>;

/** A fresh count with every severity at zero. */
export function zeroSeverityCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, NEGLIGIBLE: 0, UNKNOWN: 0 };
}

/** 0 for CRITICAL, growing towards UNKNOWN: the order of SEVERITIES. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * A severity from its name, any case, or null for a word that is none. CVSS and OSV call the bottom
 * of the scale NONE (a 0.0 score); Customs, like Clair and Harbor, calls it NEGLIGIBLE. This file is
 * the only place that translates it (here and in severityForCvssScore), so advisory rows stored with
 * NONE read back as NEGLIGIBLE too.
 */
export function parseSeverity(word: string): Severity | null {
  const name = word.trim().toUpperCase();
  if (name === 'NONE') return 'NEGLIGIBLE';
  return SEVERITIES.find((severity) => severity === name) ?? null;
}

/**
 * CVSS qualitative rating scale (FIRST, v3.1 §5 and v4.0 §6): 0 none, 0.1–3.9 low, 4–6.9 medium,
 * 7–8.9 high, 9–10 critical. NVD's v2 scale has no critical: 7–10 is high.
 */
export function severityForCvssScore(score: number, cvssVersion: 2 | 3 | 4): RatedSeverity {
  if (score === 0) return 'NEGLIGIBLE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (cvssVersion === 2 || score < 9) return 'HIGH';
  return 'CRITICAL';
}
