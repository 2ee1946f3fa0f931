import {
  SEVERITIES,
  severityRank,
  zeroSeverityCounts,
  type Finding,
  type Severity,
  type SeverityCounts,
} from '@customs/model';
import { ignoreMatches, readIgnores, type ActiveIgnore } from './ignore-entries.js';
import {
  DEFAULT_INCOMPLETE_SCAN,
  DEFAULT_UNKNOWN_SEVERITY,
  MAX_LISTED_FINDINGS,
  type ExpiredIgnore,
  type FindingRef,
  type IgnoredFinding,
  type IncompleteScanRecord,
  type Policy,
  type PolicyReason,
  type PolicyResult,
  type PolicyVerdict,
} from './policy.js';
import { worseVerdict } from './verdict.js';

/** The part of a finding a policy looks at (the matcher's Finding fits). */
export type PolicyFinding = Pick<Finding, 'id' | 'aliases' | 'severity' | 'package' | 'fixedVersion'>;

export interface EvaluateOptions {
  /** The moment the verdict is for: ignore entries that have expired by then do not apply. */
  now: Date;
  /** What the scan could not read; any makes the verdict at least policy.incompleteScan. */
  incomplete?: readonly IncompleteScanRecord[];
}

/**
 * The verdict for a set of findings under a policy. Ignore entries apply (by id or alias, and by
 * package when they name one) only before they expire; with fixableOnly, findings without a known
 * fix do not count; what is left is compared with failOn, then warnOn. Findings without a severity
 * (UNKNOWN) are compared as the policy's unknownSeverity says, and the reasons say so.
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
  const found = reasonsFor(counted, counts, policy);
  const byFindings: PolicyVerdict = found.some((reason) => reason.code === 'FAIL_ON')
    ? 'fail'
    : found.some((reason) => reason.code === 'WARN_ON')
      ? 'warn'
      : 'pass';
  const incomplete = options.incomplete ?? [];
  const rule = policy.incompleteScan ?? DEFAULT_INCOMPLETE_SCAN;
  const verdict = incomplete.length > 0 ? worseVerdict(byFindings, rule) : byFindings;
  const unread = incomplete.map(incompleteReason);
  return {
    verdict,
    // What decided the verdict comes first.
    reasons: verdict === byFindings && byFindings !== 'pass' ? [...found, ...unread] : [...unread, ...found],
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

function incompleteReason(record: IncompleteScanRecord): PolicyReason {
  return {
    code: 'SCAN_INCOMPLETE',
    message: `${record.layer === null ? '' : `layer ${record.layer}: `}${record.reason} [${record.code}]`,
    severity: null,
    count: 1,
    findings: [],
  };
}

function reasonsFor(
  counted: readonly PolicyFinding[],
  counts: SeverityCounts,
  policy: Policy,
): PolicyReason[] {
  const reasons: PolicyReason[] = [];
  for (const severity of SEVERITIES) {
    if (counts[severity] === 0) continue;
    const judgedAs = judgedSeverity(severity, policy);
    const code = judgedAs === null ? null : crossed(judgedAs, policy);
    if (code === null) continue;
    const threshold = `${code === 'FAIL_ON' ? 'failOn' : 'warnOn'} ${code === 'FAIL_ON' ? policy.failOn : policy.warnOn}`;
    reasons.push({
      code,
      message:
        severity === 'UNKNOWN'
          ? `${unrated(counts.UNKNOWN)}, counted as ${judgedAs} (unknownSeverity ${judgedAs}; ${threshold})`
          : `${counts[severity]} ${severity} finding${plural(counts[severity])} (${threshold})`,
      severity,
      count: counts[severity],
      findings: ofSeverity(counted, severity),
    });
  }
  if (reasons.length === 0) {
    reasons.push({
      code: 'BELOW_THRESHOLDS',
      message: `no counted finding at or above ${policy.warnOn ?? policy.failOn}`,
      severity: null,
      count: 0,
      findings: [],
    });
  }
  const unknownLeftOut = counts.UNKNOWN > 0 && !reasons.some((reason) => reason.severity === 'UNKNOWN');
  if (unknownLeftOut) reasons.push(unknownBelowThresholds(counted, counts.UNKNOWN, policy));
  return reasons;
}

/** Why UNKNOWN findings did not count: the rule ignores them or ranks them below both thresholds. */
function unknownBelowThresholds(
  counted: readonly PolicyFinding[],
  count: number,
  policy: Policy,
): PolicyReason {
  const rule = policy.unknownSeverity ?? DEFAULT_UNKNOWN_SEVERITY;
  return {
    code: 'BELOW_THRESHOLDS',
    message:
      rule === 'ignore'
        ? `${unrated(count)}, not counted (unknownSeverity ignore)`
        : `${unrated(count)}, counted as ${rule}: below the thresholds (unknownSeverity ${rule})`,
    severity: 'UNKNOWN',
    count,
    findings: ofSeverity(counted, 'UNKNOWN'),
  };
}

/** The severity a finding is compared with the thresholds as; null when the policy ignores it. */
function judgedSeverity(severity: Severity, policy: Policy): Severity | null {
  if (severity !== 'UNKNOWN') return severity;
  const rule = policy.unknownSeverity ?? DEFAULT_UNKNOWN_SEVERITY;
  return rule === 'ignore' ? null : rule;
}

function unrated(count: number): string {
  return `${count} finding${plural(count)} without a severity (UNKNOWN)`;
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}

function ofSeverity(counted: readonly PolicyFinding[], severity: Severity): FindingRef[] {
  return counted
    .filter((finding) => finding.severity === severity)
    .slice(0, MAX_LISTED_FINDINGS)
    .map(refOf);
}

function crossed(severity: Severity, policy: Policy): PolicyReason['code'] | null {
  if (severityRank(severity) <= severityRank(policy.failOn)) return 'FAIL_ON';
  if (policy.warnOn !== null && severityRank(severity) <= severityRank(policy.warnOn)) return 'WARN_ON';
  return null;
}

function countBySeverity(findings: readonly PolicyFinding[]): SeverityCounts {
  const counts = zeroSeverityCounts();
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
