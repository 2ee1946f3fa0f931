import { SEVERITIES, type Finding, type Severity } from '@customs/matcher';
import { ignoreMatches, readIgnores, type ActiveIgnore } from './ignore-entries.js';
import {
  MAX_LISTED_FINDINGS,
  type ExpiredIgnore,
  type FindingRef,
  type IgnoredFinding,
  type Policy,
  type PolicyReason,
  type PolicyResult,
  type SeverityCounts,
} from './policy.js';

/** The part of a finding a policy looks at (the matcher's Finding fits). */
export type PolicyFinding = Pick<Finding, 'id' | 'aliases' | 'severity' | 'package' | 'fixedVersion'>;

export interface EvaluateOptions {
  /** The moment the verdict is for: ignore entries that have expired by then do not apply. */
  now: Date;
}

/**
 * The verdict for a set of findings under a policy. Ignore entries apply (by id or alias, and by
 * package when they name one) only before they expire; with fixableOnly, findings without a known
 * fix do not count; what is left is compared with failOn, then warnOn.
 */
export function evaluatePolicy(
  findings: readonly PolicyFinding[],
  policy: Policy,
  options: EvaluateOptions,
): PolicyResult {
  const entries = readIgnores(policy.ignore);
  const now = options.now.getTime();
  const active = entries.filter((ignore) => ignore.endsAt.getTime() > now);
  const expired = entries.filter((ignore) => ignore.endsAt.getTime() <= now);
  const ignored: IgnoredFinding[] = [];
  const expiredIgnores = new Map<ActiveIgnore, FindingRef[]>();
  const usedEnds: number[] = [];
  let notFixable = 0;
  const counted: PolicyFinding[] = [];
  for (const finding of findings) {
    const suppressing = active.find((ignore) => ignoreMatches(ignore.entry, finding));
    if (suppressing) {
      ignored.push({ ...refOf(finding), entry: suppressing.entry.id, ...reasonOf(suppressing) });
      usedEnds.push(suppressing.endsAt.getTime());
      continue;
    }
    for (const ignore of expired.filter((candidate) => ignoreMatches(candidate.entry, finding))) {
      expiredIgnores.set(ignore, [...(expiredIgnores.get(ignore) ?? []), refOf(finding)]);
    }
    if (policy.fixableOnly && finding.fixedVersion === null) notFixable += 1;
    else counted.push(finding);
  }
  const counts = countBySeverity(counted);
  const reasons = reasonsFor(counted, counts, policy);
  return {
    verdict: reasons.some((reason) => reason.code === 'FAIL_ON')
      ? 'fail'
      : reasons.some((reason) => reason.code === 'WARN_ON')
        ? 'warn'
        : 'pass',
    reasons,
    counts,
    ignored,
    expiredIgnores: [...expiredIgnores].map(([ignore, refs]): ExpiredIgnore => ({
      entry: ignore.entry.id,
      expires: ignore.entry.expires,
      findings: refs,
    })),
    notFixable,
    validUntil: usedEnds.length > 0 ? new Date(Math.min(...usedEnds)) : null,
  };
}

/** Most severe first: CRITICAL is 0, UNKNOWN last. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

function reasonsFor(
  counted: readonly PolicyFinding[],
  counts: SeverityCounts,
  policy: Policy,
): PolicyReason[] {
  const reasons: PolicyReason[] = [];
  for (const severity of SEVERITIES) {
    if (counts[severity] === 0) continue;
    const code = crossed(severity, policy);
    if (code === null) continue;
    const threshold = code === 'FAIL_ON' ? policy.failOn : policy.warnOn;
    const ofSeverity = counted.filter((finding) => finding.severity === severity);
    reasons.push({
      code,
      message: `${counts[severity]} ${severity} finding${counts[severity] === 1 ? '' : 's'} (${code === 'FAIL_ON' ? 'failOn' : 'warnOn'} ${threshold})`,
      severity,
      count: counts[severity],
      findings: ofSeverity.slice(0, MAX_LISTED_FINDINGS).map(refOf),
    });
  }
  if (reasons.length > 0) return reasons;
  const lowest = policy.warnOn ?? policy.failOn;
  return [
    {
      code: 'BELOW_THRESHOLDS',
      message: `no counted finding at or above ${lowest}`,
      severity: null,
      count: 0,
      findings: [],
    },
  ];
}

function crossed(severity: Severity, policy: Policy): PolicyReason['code'] | null {
  if (severityRank(severity) <= severityRank(policy.failOn)) return 'FAIL_ON';
  if (policy.warnOn !== null && severityRank(severity) <= severityRank(policy.warnOn)) return 'WARN_ON';
  return null;
}

function countBySeverity(findings: readonly PolicyFinding[]): SeverityCounts {
  const counts: SeverityCounts = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, NEGLIGIBLE: 0, UNKNOWN: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

function refOf(finding: PolicyFinding): FindingRef {
  return {
    id: finding.id,
    package: finding.package.name,
    version: finding.package.version,
    fixedVersion: finding.fixedVersion,
  };
}

function reasonOf(ignore: ActiveIgnore): { reason: string; expires: string } {
  return { reason: ignore.entry.reason, expires: ignore.entry.expires };
}
