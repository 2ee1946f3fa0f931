import { checkImageConfig } from '@customs/imageconfig';
import type { ConfigFinding } from '@customs/model';
import { evaluateConfigFindings, type Policy, type PolicyResult, type PolicyVerdict } from '@customs/policy';
import type { StoredImage } from '@customs/store';

/** Worst first, as evaluatePolicy orders them: findings over the bar, an unreadable scan, a warning. */
const WORST_FIRST: readonly PolicyVerdict[] = ['fail', 'error', 'warn', 'pass'];

export interface ConfigVerdict {
  verdict: PolicyVerdict;
  reasons: PolicyResult['reasons'];
  /** Null for an image stored before Customs kept its config: nothing is known either way. */
  findings: ConfigFinding[] | null;
}

/**
 * The package verdict with the image configuration findings judged by `policy.config` (computed from
 * the stored config now, like vulnerability findings, so a new check needs no rescan). The worse
 * verdict wins; when the config decides it, its reasons come first.
 */
export function judgeConfig(image: StoredImage, policy: Policy, packages: PolicyResult): ConfigVerdict {
  if (image.imageConfig === null)
    return { verdict: packages.verdict, reasons: packages.reasons, findings: null };
  const findings = checkImageConfig(image.imageConfig);
  const config = evaluateConfigFindings(findings, policy.config);
  const configDecides = WORST_FIRST.indexOf(config.verdict) < WORST_FIRST.indexOf(packages.verdict);
  return {
    verdict: configDecides ? config.verdict : packages.verdict,
    reasons: configDecides
      ? [...config.reasons, ...packages.reasons]
      : [...packages.reasons, ...config.reasons],
    findings,
  };
}
