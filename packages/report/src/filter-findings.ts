import { parseSeverity, SEVERITIES, type Finding, type Severity } from '@customs/model';
import { InvalidSeverityError } from './errors.js';

/** What `--severity LIST` and `--ignore-unfixed` ask for; the API takes the same two. */
export interface FindingFilter {
  /** Keep only these severities; absent keeps all, an empty list keeps none. */
  severities?: readonly Severity[];
  /** Drop findings with no known fixed version (nothing to upgrade to yet). */
  ignoreUnfixed?: boolean;
}

/** The findings a filter lets through, in their given order. */
export function filterFindings<T extends Pick<Finding, 'severity' | 'fixedVersion'>>(
  findings: readonly T[],
  filter: FindingFilter = {},
): T[] {
  const allowed = filter.severities ? new Set(filter.severities) : null;
  return findings.filter(
    (finding) =>
      (allowed === null || allowed.has(finding.severity)) &&
      !(filter.ignoreUnfixed && finding.fixedVersion === null),
  );
}

/**
 * `critical,HIGH` → `['CRITICAL', 'HIGH']`: case-insensitive, duplicates dropped, most severe
 * first (CVSS's NONE is NEGLIGIBLE). An unknown or empty name throws, so a typo never silently
 * filters everything out.
 */
export function parseSeverities(list: string): Severity[] {
  const wanted = new Set<Severity>();
  for (const word of list.split(',')) {
    const severity = parseSeverity(word);
    if (!severity) throw new InvalidSeverityError(word.trim());
    wanted.add(severity);
  }
  return SEVERITIES.filter((severity) => wanted.has(severity));
}
