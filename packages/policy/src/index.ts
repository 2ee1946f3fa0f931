export { evaluatePolicy, severityRank } from './evaluate-policy.js';
export type { EvaluateOptions, PolicyFinding } from './evaluate-policy.js';
export { ignoreEndsAt, ignoreMatches } from './ignore-entries.js';
export { MAX_LISTED_FINDINGS } from './policy.js';
export type {
  ExpiredIgnore,
  FindingRef,
  IgnoredFinding,
  IgnoreEntry,
  Policy,
  PolicyReason,
  PolicyResult,
  PolicyVerdict,
  SeverityCounts,
} from './policy.js';
export { InvalidPolicyError, policyErrorCodes } from './errors.js';
export type { PolicyErrorCode } from './errors.js';
