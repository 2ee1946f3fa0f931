import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from './registry.js';

/** The secrets of a generated configuration: what a test signs or forges webhooks with. */
export interface ServiceSecrets {
  /** The whole Authorization header Distribution sends (`Bearer …`). */
  distributionAuthorization: string;
  /** HMAC key of X-Hub-Signature-256. */
  githubSecret: string;
  /** The Docker Hub webhook URL's secret path segment. */
  dockerhubPathSecret: string;
  /** CUSTOMS_ADMIN_TOKEN: `cst_` and 48 random hex characters. */
  adminToken: string;
}

export interface ServiceConfigOptions {
  registry: Registry;
  webhookPort: number;
  /** `worker.lockSeconds`: how soon a killed worker's job goes to another. */
  lockSeconds: number;
  /** `worker.concurrency` of each worker process. */
  concurrency: number;
  /** The file's name in `dir`; default customs.yaml. */
  fileName?: string;
  /**
   * Pull through this `host:port` instead of the registry itself (a proxy in front of it): it becomes
   * the configured host, the registry's own host an alias, so pushes it notifies about still match.
   */
  pullVia?: string;
  /** `attestations`: push SPDX SBOMs and signed attestations with the PEM key in this file. */
  attestationKeyFile?: string;
  /** The `updater` section, for a `customs updater` process. */
  updater?: Record<string, unknown>;
}

export function generateSecrets(): ServiceSecrets {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  return {
    distributionAuthorization: `Bearer e2e-${hex(16)}`,
    githubSecret: `e2e-${hex(16)}`,
    dockerhubPathSecret: hex(16),
    adminToken: `cst_${hex(24)}`,
  };
}

/**
 * Writes a CUSTOMS_CONFIG file: the registry allow-listed with its credentials, the Distribution
 * source with its static Authorization, GitHub and Docker Hub pinned to the same registry (so their
 * checks are exercised against something real), the webhook on a known port (the registry's
 * notifications point at it before it starts) and the API on any free port (read from its log).
 */
export async function writeServiceConfig(
  dir: string,
  secrets: ServiceSecrets,
  options: ServiceConfigOptions,
): Promise<string> {
  const { registry } = options;
  const config = {
    registries: [
      {
        host: options.pullVia ?? registry.host,
        ...(options.pullVia && { aliases: [registry.host] }),
        insecure: true,
        ...(registry.username && { username: registry.username }),
        ...(registry.password && { password: registry.password }),
      },
    ],
    webhooks: {
      distribution: { authorization: secrets.distributionAuthorization },
      github: { secret: secrets.githubSecret, registry: registry.host },
      dockerhub: { pathSecret: secrets.dockerhubPathSecret, registry: registry.host },
    },
    webhook: { port: options.webhookPort },
    api: { port: 0 },
    worker: { concurrency: options.concurrency, lockSeconds: options.lockSeconds },
    policy: { failOn: 'HIGH', warnOn: 'MEDIUM' },
    ...(options.attestationKeyFile && {
      attestations: { push: true, sbomFormat: 'spdx', signingKey: { file: options.attestationKeyFile } },
    }),
    ...(options.updater && { updater: options.updater }),
  };
  const file = join(dir, options.fileName ?? 'customs.yaml');
  // YAML is a superset of JSON.
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}
