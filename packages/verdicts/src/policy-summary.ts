import { asPolicySet, DEFAULT_INCOMPLETE_SCAN, type Policy, type PolicySet } from '@customs/policy';
import type { Schemas } from './contract-types.js';

/**
 * The policy as verdicts name it: the id is the policy version (a digest of every rule and
 * exception); the thresholds are the named rule's (the default rule's when none is named).
 */
export function policySummary(policy: Policy | PolicySet, ruleId?: string): Schemas['PolicySummary'] {
  const set = asPolicySet(policy);
  const fallback = set.rules[set.rules.length - 1];
  const rule = set.rules.find((candidate) => candidate.id === ruleId) ?? fallback;
  if (rule === undefined) throw new Error('a policy set always has its default rule');
  return {
    id: set.version,
    file: set.file,
    failOn: rule.failOn,
    warnOn: rule.warnOn,
    fixableOnly: rule.fixableOnly,
    incompleteScan: rule.incompleteScan ?? DEFAULT_INCOMPLETE_SCAN,
    ignoreEntries: rule.ignore.length + set.exceptions.length,
  };
}
