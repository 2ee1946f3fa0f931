import {
  RUNS_AS_ROOT_FINDING_ID,
  type ConfigFinding,
  type ImageFinding,
  type ImageSecretFinding,
} from '@customs/model';
import {
  evaluateConfigFindings,
  worseVerdict,
  type Policy,
  type PolicyResult,
  type PolicyVerdict,
} from '@customs/policy';

/** The config checks a policy rule names by meaning (`denyRunAsRoot`, `denySecrets`), by check id. */
const RUNS_AS_ROOT_CHECK = 'CFG001';
const SECRET_CHECKS = new Set(['CFG002', 'CFG003']);

export interface ConfigVerdict {
  verdict: PolicyVerdict;
  reasons: PolicyResult['reasons'];
  /** Null for an image stored before Customs kept its config: nothing is known either way. */
  findings: ConfigFinding[] | null;
}

/**
 * The package verdict with the image configuration findings judged by the rule's `config` thresholds
 * (computed from the stored config now, like vulnerability findings, so a new check needs no rescan).
 * The worse verdict wins; when the config decides it, its reasons come first.
 */
export function judgeConfig(
  findings: ConfigFinding[] | null,
  policy: Policy,
  packages: PolicyResult,
): ConfigVerdict {
  if (findings === null) return { verdict: packages.verdict, reasons: packages.reasons, findings: null };
  const config = evaluateConfigFindings(findings, policy.config);
  const configDecides =
    config.verdict !== packages.verdict && worseVerdict(config.verdict, packages.verdict) === config.verdict;
  return {
    verdict: configDecides ? config.verdict : packages.verdict,
    reasons: configDecides
      ? [...config.reasons, ...packages.reasons]
      : [...packages.reasons, ...config.reasons],
    findings,
  };
}

/**
 * Config findings as the policy rules read them: root is `runs-as-root`, a secret in ENV or in a
 * build argument is a `secret` finding (what `denySecrets` denies), every other check by its id.
 */
export function imageFindingsOfConfig(findings: readonly ConfigFinding[]): ImageFinding[] {
  return findings.map((finding) => ({
    kind: SECRET_CHECKS.has(finding.id) ? 'secret' : 'config',
    id: finding.id === RUNS_AS_ROOT_CHECK ? RUNS_AS_ROOT_FINDING_ID : finding.id,
    severity: finding.severity,
    title: `${finding.title} (${finding.location})`,
  }));
}

/** Secrets found in the layers as the policy rules read them (`denySecrets`): redacted titles only. */
export function imageFindingsOfSecrets(findings: readonly ImageSecretFinding[]): ImageFinding[] {
  return findings.map((finding) => ({
    kind: 'secret',
    id: finding.ruleId,
    severity: finding.severity,
    title: `${finding.title} in ${finding.path}:${finding.line} (layer ${finding.layerIndex + 1})`,
  }));
}
