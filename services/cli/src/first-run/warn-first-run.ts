import type { ServiceConfig } from '@customs/config';
import type { Database } from '@customs/db';
import { describeError } from '@customs/errors';
import type { Store } from '@customs/store';
import { hasAdvisories } from '@customs/vulndb';
import type { Logger } from 'pino';
import { firstRunWarnings } from './first-run-warnings.js';

/** Logs the first-run warnings of a starting service, one line each; never stops it. */
export async function warnFirstRun(
  runtime: { config: ServiceConfig; db: Database; store: Pick<Store, 'tokens'>; logger: Logger },
  roles: ReadonlyArray<{ role: string }>,
  ownTokenId: string | null,
): Promise<void> {
  const { config, db, store, logger } = runtime;
  try {
    const tokens = await store.tokens.list();
    const activeAdminTokens = tokens.filter(
      (token) => token.revokedAt === null && token.scopes.includes('admin') && token.id !== ownTokenId,
    ).length;
    const names = roles.map((role) => role.role);
    // The API's start brought the schema up to date; an existence probe, not status()'s counts, which
    // take seconds on a full import and would hold every start.
    const anyAdvisories = names.includes('api') ? await hasAdvisories(db).catch(() => null) : null;
    for (const warning of firstRunWarnings({ config, roles: names, activeAdminTokens, anyAdvisories }))
      logger.warn({ fix: warning.fix }, warning.problem);
  } catch (error) {
    logger.warn({ error: describeError(error) }, 'first-run checks failed');
  }
}
