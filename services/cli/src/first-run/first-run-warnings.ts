import type { ServiceConfig } from '@customs/config';

/** What a starting service knows about itself that decides whether it can do anything useful. */
export interface FirstRunFacts {
  config: Pick<ServiceConfig, 'registries' | 'webhooks' | 'bootstrapToken' | 'database'>;
  /** The roles this process runs. */
  roles: readonly string[];
  /** Admin tokens in the token store that are not revoked (the server's own control token aside). */
  activeAdminTokens: number;
  /** Whether any advisory is imported; null when that could not be read. */
  anyAdvisories: boolean | null;
}

export interface FirstRunWarning {
  /** What cannot work, in one sentence. */
  problem: string;
  /** What to set or run. */
  fix: string;
}

const CONFIG_DOC = 'see docs/configuration.md';

/**
 * A service that starts but can receive nothing, scan nothing or let nobody in looks healthy and is
 * useless: each of these says what does not work and what to set, once, at start.
 */
export function firstRunWarnings(facts: FirstRunFacts): FirstRunWarning[] {
  const { config, roles } = facts;
  const warnings: FirstRunWarning[] = [];
  const runs = (role: string) => roles.includes(role);
  if (runs('webhook') && Object.values(config.webhooks).every((source) => source === undefined)) {
    warnings.push({
      problem: 'no webhook source is configured: no registry push can be received',
      fix: `set CUSTOMS_CONFIG to a YAML file with webhooks: (distribution, harbor, github, dockerhub, quay, ecr or acr); ${CONFIG_DOC}`,
    });
  }
  if ((runs('worker') || runs('api')) && config.registries.length === 0) {
    warnings.push({
      problem:
        'no registry is configured: no image can be scanned (images are pulled only from listed registries)',
      fix: `set CUSTOMS_CONFIG to a YAML file with registries: [{ host: registry.example.com, ... }]; ${CONFIG_DOC}`,
    });
  }
  if (runs('api') && facts.anyAdvisories === false) {
    warnings.push({
      problem: 'no vulnerability data is imported: every verdict is unknown',
      fix: 'run customs db import <OSV dir | all.zip | https://… | s3://…> (it works while this server runs)',
    });
  }
  if (runs('api') && config.bootstrapToken === null && facts.activeAdminTokens === 0) {
    const where = config.database
      ? 'with DATABASE_URL set to this database'
      : 'on this machine (it works while this server runs)';
    warnings.push({
      problem: 'no admin API token exists and CUSTOMS_ADMIN_TOKEN is not set: nobody can use the API yet',
      fix: `run customs token create --name admin --scope admin ${where}; the token is printed once`,
    });
  }
  return warnings;
}
