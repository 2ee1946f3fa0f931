import { severityRank, type RatedSeverity } from '@customs/model';
import type { PolicyVerdict } from './verdict.js';

/**
 * What credentials found in an image's layers make its verdict (`policy.secrets`, global until
 * per-repository rules land): `fail` (default), `warn`, or `ignore`. A secret a later layer deleted
 * counts too: it is still in the earlier layer's blob.
 */
export const SECRETS_RULES = ['fail', 'warn', 'ignore'] as const;
export type SecretsRule = (typeof SECRETS_RULES)[number];
export const DEFAULT_SECRETS_RULE: SecretsRule = 'fail';

/** How many secrets a SECRETS_FOUND message names; the report lists all. */
const LISTED = 5;

/** A secret as the verdict needs it (the model's ImageSecretFinding fits). */
export interface SecretRef {
  ruleId: string;
  severity: RatedSeverity;
  path: string;
  layerIndex: number;
  removedInLayer: number | null;
}

export interface SecretsReason {
  code: 'SECRETS_FOUND';
  message: string;
  severity: RatedSeverity;
  count: number;
}

/** The verdict the image's secrets call for under `rule`, and the reason to show; null when none count. */
export function judgeSecrets(
  secrets: readonly SecretRef[],
  rule: SecretsRule = DEFAULT_SECRETS_RULE,
): { verdict: PolicyVerdict; reason: SecretsReason } | null {
  if (rule === 'ignore' || secrets.length === 0) return null;
  const worst = [...secrets].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))[0];
  const listed = secrets.slice(0, LISTED).map(describe).join('; ');
  const more = secrets.length > LISTED ? `; ${secrets.length - LISTED} more in the report` : '';
  return {
    verdict: rule,
    reason: {
      code: 'SECRETS_FOUND',
      message: `${secrets.length} credential${secrets.length === 1 ? '' : 's'} in the image's layers (policy.secrets: ${rule}): ${listed}${more}; revoke them and rebuild without them`,
      severity: worst?.severity ?? 'CRITICAL',
      count: secrets.length,
    },
  };
}

function describe(secret: SecretRef): string {
  const removed =
    secret.removedInLayer === null ? '' : `, removed in layer ${secret.removedInLayer} but still extractable`;
  return `${secret.ruleId} in ${secret.path} (layer ${secret.layerIndex}${removed})`;
}
