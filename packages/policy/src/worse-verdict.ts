import type { PolicyVerdict } from './policy.js';

/**
 * Worst first, as a deploy gate sees it: findings over the bar, then a scan that could not see
 * everything, then a warning. Every part of a verdict (packages, config, secrets, rules) combines by it.
 */
const WORST_FIRST: readonly PolicyVerdict[] = ['fail', 'error', 'warn', 'pass'];

/** The worse of two verdicts. */
export function worseVerdict(a: PolicyVerdict, b: PolicyVerdict): PolicyVerdict {
  return WORST_FIRST.indexOf(a) <= WORST_FIRST.indexOf(b) ? a : b;
}
