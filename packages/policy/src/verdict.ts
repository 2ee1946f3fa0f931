import type { Severity } from '@customs/model';

/** `error`: the scan could not read what it needed (policy.incompleteScan error); nothing can be said. */
export type PolicyVerdict = 'pass' | 'warn' | 'fail' | 'error';

/** A finding as a verdict names it. */
export interface FindingRef {
  id: string;
  package: string;
  version: string;
  fixedVersion: string | null;
}

/**
 * Why the verdict is what it is: one entry per severity that crossed a threshold, or one saying none
 * did; plus a BELOW_THRESHOLDS entry for UNKNOWN findings when the unknownSeverity rule kept them below;
 * plus one SCAN_INCOMPLETE entry per file the scan could not read, naming its layer and path.
 */
export interface PolicyReason {
  code:
    | 'FAIL_ON'
    | 'WARN_ON'
    | 'BELOW_THRESHOLDS'
    | 'SCAN_INCOMPLETE'
    | 'LABEL_MISSING'
    | 'RUNS_AS_ROOT'
    | 'SECRET_FOUND'
    | 'CRITICAL_IN_GRACE'
    | 'CONFIG_CHECK_FAILED'
    | 'CONFIG_CHECK_WARNED';
  message: string;
  /** The severity of the findings this reason is about; null for BELOW_THRESHOLDS and SCAN_INCOMPLETE. */
  severity: Severity | null;
  /** How many counted findings have that severity. */
  count: number;
  /** The first of them (at most MAX_LISTED_FINDINGS); the scan report lists all. */
  findings: FindingRef[];
  /** The id of the policy rule that gave this reason (set by evaluateImage). */
  rule?: string;
}

/**
 * Worst first, as a deploy gate sees it: findings over the bar, then a scan that could not see
 * everything, then a warning. Every part of a verdict (packages, config, secrets, rules) combines by it.
 */
const WORST_FIRST: readonly PolicyVerdict[] = ['fail', 'error', 'warn', 'pass'];

/** The worse of two verdicts. */
export function worseVerdict(a: PolicyVerdict, b: PolicyVerdict): PolicyVerdict {
  return WORST_FIRST.indexOf(a) <= WORST_FIRST.indexOf(b) ? a : b;
}
