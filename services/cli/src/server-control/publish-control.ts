import { join } from 'node:path';
import {
  readServerControl,
  removeServerControl,
  SERVER_CONTROL_FILE,
  writeServerControl,
  type Database,
} from '@customs/db';
import { describeError } from '@customs/errors';
import type { Store } from '@customs/store';
import type { Logger } from 'pino';

export interface PublishedControl {
  /** The control token's id: it is this process's own, not an operator's. */
  tokenId: string;
  /** Removes the control file and revokes its token: first thing on a clean stop. */
  close(): Promise<void>;
}

/**
 * For `customs serve` on an embedded database: leaves the API's address and a token of its own in the
 * data directory, so `customs db import` and `customs token create`, which cannot open the database
 * while this process holds it, ask this server instead. The token is never logged.
 */
export async function publishServerControl(
  runtime: { db: Database; store: Pick<Store, 'tokens'>; logger: Logger },
  roles: ReadonlyArray<{ role: string; url: string | null }>,
): Promise<PublishedControl | null> {
  const { db, store, logger } = runtime;
  const bound = roles.find((role) => role.role === 'api')?.url;
  const api = bound ? loopbackUrl(bound) : null;
  if (db.kind !== 'pglite' || !api) return null;
  const dataDir = db.location;
  // We hold the lock, so a control file here was left by a server that died: its token goes too.
  const stale = await readServerControl(dataDir).catch(() => null);
  if (stale !== null) await store.tokens.revoke(stale.tokenId).catch(() => false);
  const { token, info } = await store.tokens.create(`customs serve (pid ${process.pid}): local CLI`, [
    'admin',
  ]);
  await writeServerControl(dataDir, { pid: process.pid, url: api, tokenId: info.id, token });
  logger.info(
    { file: join(dataDir, SERVER_CONTROL_FILE), tokenId: info.id },
    'customs db import and customs token create on this machine go through this server',
  );
  return {
    tokenId: info.id,
    async close() {
      await removeServerControl(dataDir);
      await store.tokens
        .revoke(info.id)
        .catch((error: unknown) => logger.warn({ error: describeError(error) }, 'control token not revoked'));
    },
  };
}

/**
 * The API as a command on this machine reaches it, on loopback: a server bound to every interface
 * (`http://[::]:8080`, `http://0.0.0.0:8080`) or to 127.0.0.1. Null when it listens on one other
 * address only: the control file names loopback and nothing else.
 */
export function loopbackUrl(bound: string): string | null {
  const { hostname, port } = new URL(bound);
  return ['[::]', '0.0.0.0', '127.0.0.1'].includes(hostname) ? `http://127.0.0.1:${port}` : null;
}
