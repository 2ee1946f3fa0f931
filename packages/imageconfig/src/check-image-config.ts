import { severityRank, type ConfigFinding } from '@customs/model';
import type { ImageConfig } from '@customs/oci';
import { secretInBuildArguments } from './checks/build-argument-secrets.js';
import { secretInEnv } from './checks/env-secrets.js';
import { privilegedPortExposed, sshExposed } from './checks/exposed-ports.js';
import { noHealthcheck } from './checks/healthcheck.js';
import { movingBaseTag } from './checks/moving-base-tag.js';
import { remoteAdd } from './checks/remote-add.js';
import { runsAsRoot } from './checks/runs-as-root.js';
import type { ConfigCheck } from './config-check.js';

/** Every check, in id order: SARIF rules and the docs list them from here. */
export const CONFIG_CHECKS: readonly ConfigCheck[] = [
  runsAsRoot,
  secretInEnv,
  secretInBuildArguments,
  remoteAdd,
  sshExposed,
  privilegedPortExposed,
  noHealthcheck,
  movingBaseTag,
];

/** The findings of every check on one config, most severe first, then by id and location. */
export function checkImageConfig(config: ImageConfig): ConfigFinding[] {
  return CONFIG_CHECKS.flatMap((check) =>
    check.run(config).map((hit) => ({
      id: check.id,
      severity: check.severity,
      title: check.title,
      detail: hit.detail,
      remediation: check.remediation,
      location: hit.location,
    })),
  ).sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id));
}
