export { evaluatePolicy } from './evaluate-policy.js';
export { DEFAULT_CONFIG_POLICY, evaluateConfigFindings } from './config-policy.js';
export type { ConfigJudgement, ConfigPolicy } from './config-policy.js';
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
export { DEFAULT_SECRETS_RULE, judgeSecrets, SECRETS_RULES } from './secrets-policy.js';
export { worseVerdict } from './verdict.js';
export type { SecretRef, SecretsReason, SecretsRule } from './secrets-policy.js';
export { InvalidPolicyError, policyErrorCodes } from './errors.js';
export type { PolicyErrorCode } from './errors.js';
export { evaluateImage, type ImagePolicyResult, type RuleRef } from './rules/evaluate-image.js';
export {
  asPolicySet,
  DEFAULT_RULE_ID,
  defaultRule,
  policySetOf,
  selectRule,
  type ImageFacts,
  type PolicyException,
  type PolicyRule,
  type PolicySet,
} from './rules/policy-rules.js';
export { matchesAnyRepository, repositoryGlob } from './rules/repository-glob.js';
export { POLICY_FILE_SCHEMA } from './file/policy-file-schema.js';
export { readPolicyFile } from './file/read-policy-file.js';
export { openPolicyFile, type PolicyFileOptions, type PolicySource } from './file/policy-file-source.js';
