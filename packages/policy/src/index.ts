export { evaluatePolicy } from './evaluate-policy.js';
export type { EvaluateOptions, PolicyFinding } from './evaluate-policy.js';
export { ignoreEndsAt, ignoreMatches } from './ignore-entries.js';
export {
  DEFAULT_INCOMPLETE_SCAN,
  DEFAULT_UNKNOWN_SEVERITY,
  INCOMPLETE_SCAN_RULES,
  MAX_LISTED_FINDINGS,
  UNKNOWN_SEVERITY_RULES,
} from './policy.js';
export type {
  IncompleteScanRecord,
  IncompleteScanRule,
  ExpiredIgnore,
  FindingRef,
  IgnoredFinding,
  IgnoreEntry,
  Policy,
  PolicyReason,
  PolicyResult,
  PolicyVerdict,
  UnknownSeverityRule,
} from './policy.js';
export type { SeverityCounts } from '@customs/model';
export { DEFAULT_SECRETS_RULE, judgeSecrets, SECRETS_RULES, worseVerdict } from './secrets-policy.js';
export type { SecretRef, SecretsReason, SecretsRule } from './secrets-policy.js';
export { InvalidPolicyError, policyErrorCodes } from './errors.js';
export type { PolicyErrorCode } from './errors.js';
