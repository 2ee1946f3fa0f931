import type { PolicyFinding } from '../evaluate-policy.js';
import { ignoreMatches, readIgnores } from '../ignore-entries.js';
import type { IgnoreEntry, PolicyReason } from '../policy.js';

const DAY_MS = 24 * 3600 * 1000;

/** CRITICAL findings still inside the rule's grace period, and what the thresholds judge. */
export interface CriticalGrace {
  counted: PolicyFinding[];
  /** Null when no finding is in its grace period. */
  reason: PolicyReason | null;
  /** When the first finding in grace starts to count: the verdict changes then. */
  endsAt: Date | null;
}

/**
 * `maxCriticalAgeDays`: a CRITICAL finding whose advisory was published less than that many days ago
 * warns instead of counting against the thresholds; from then on it counts (and fails under any
 * failOn). A finding with no known date, or one an exception already covers, is left as it is.
 */
export function criticalGrace(
  findings: readonly PolicyFinding[],
  maxDays: number | undefined,
  publishedAt: ReadonlyMap<string, Date> | undefined,
  ignore: readonly IgnoreEntry[],
  now: Date,
): CriticalGrace {
  if (maxDays === undefined || publishedAt === undefined)
    return { counted: [...findings], reason: null, endsAt: null };
  const active = readIgnores(ignore).filter((entry) => entry.endsAt.getTime() > now.getTime());
  const counted: PolicyFinding[] = [];
  const inGrace: Array<{ finding: PolicyFinding; countsFrom: number }> = [];
  for (const finding of findings) {
    const published = finding.severity === 'CRITICAL' ? publishedAt.get(finding.id) : undefined;
    const countsFrom = published === undefined ? null : published.getTime() + maxDays * DAY_MS;
    const excepted = active.some((entry) => ignoreMatches(entry.entry, finding));
    if (countsFrom !== null && countsFrom > now.getTime() && !excepted) inGrace.push({ finding, countsFrom });
    else counted.push(finding);
  }
  if (inGrace.length === 0) return { counted, reason: null, endsAt: null };
  const endsAt = new Date(Math.min(...inGrace.map((entry) => entry.countsFrom)));
  const plural = inGrace.length === 1 ? '' : 's';
  return {
    counted,
    endsAt,
    reason: {
      code: 'CRITICAL_IN_GRACE',
      message: `${inGrace.length} CRITICAL finding${plural} published less than ${maxDays} days ago (maxCriticalAgeDays ${maxDays}); the first counts from ${endsAt.toISOString()}`,
      severity: 'CRITICAL',
      count: inGrace.length,
      findings: inGrace.slice(0, 25).map(({ finding }) => ({
        id: finding.id,
        package: finding.package.name,
        version: finding.package.version,
        fixedVersion: finding.fixedVersion,
      })),
    },
  };
}
