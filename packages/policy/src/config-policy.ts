import { SEVERITIES, severityRank, type ConfigFinding, type Severity } from '@customs/model';
import type { PolicyReason, PolicyVerdict } from './verdict.js';

/** `policy.config`: how image configuration findings (runs as root, secrets in ENV, ...) count. */
export interface ConfigPolicy {
  /** A config finding at or above this severity makes the verdict `fail`; null: never. */
  failOn: Severity | null;
  /** At or above this (and below failOn) makes it `warn`; null: never. */
  warnOn: Severity | null;
}

/**
 * Config findings are reported but do not change a verdict unless the policy says so: most images
 * run as root, and turning every existing pass into a warning on upgrade would bury real findings.
 */
export const DEFAULT_CONFIG_POLICY: ConfigPolicy = { failOn: null, warnOn: null };

export interface ConfigJudgement {
  verdict: Extract<PolicyVerdict, 'pass' | 'warn' | 'fail'>;
  /** One CONFIG_CHECK_FAILED or CONFIG_CHECK_WARNED reason per severity that crossed a threshold. */
  reasons: PolicyReason[];
}

const atOrAbove = (severity: Severity, threshold: Severity | null): boolean =>
  threshold !== null && severityRank(severity) <= severityRank(threshold);

/** The verdict config findings alone give under `policy.config`. */
export function evaluateConfigFindings(
  findings: readonly ConfigFinding[],
  rule: ConfigPolicy = DEFAULT_CONFIG_POLICY,
): ConfigJudgement {
  const reasons = SEVERITIES.flatMap((severity): PolicyReason[] => {
    const matching = findings.filter((finding) => finding.severity === severity);
    if (matching.length === 0) return [];
    const fails = atOrAbove(severity, rule.failOn);
    if (!fails && !atOrAbove(severity, rule.warnOn)) return [];
    const threshold = fails ? `config.failOn ${rule.failOn}` : `config.warnOn ${rule.warnOn}`;
    const listed = matching.map((finding) => `${finding.id} ${finding.title} (${finding.location})`);
    return [
      {
        code: fails ? 'CONFIG_CHECK_FAILED' : 'CONFIG_CHECK_WARNED',
        message: `${matching.length} ${severity} image configuration finding${matching.length === 1 ? '' : 's'}: ${listed.join('; ')} (${threshold})`,
        severity,
        count: matching.length,
        findings: [],
      },
    ];
  });
  const verdict = reasons.some((reason) => reason.code === 'CONFIG_CHECK_FAILED')
    ? 'fail'
    : reasons.length > 0
      ? 'warn'
      : 'pass';
  return { verdict, reasons };
}
