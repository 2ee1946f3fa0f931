import type { Database } from '@customs/db';

/** One key for every updater of one database: `hashtext` of a name no other lock uses. */
const LOCK_NAME = 'customs.vulndb.update';

/**
 * Runs `work` while holding PostgreSQL's advisory lock for updates, or says `held` without running
 * it when another process holds the lock. The lock lives in a transaction of its own connection, so
 * it goes with that connection if the process dies; BullMQ's job lock alone could lapse (a stalled
 * event loop) and let a second updater start. PGlite has one process by construction (its data
 * directory is locked), so there `work` simply runs.
 */
export async function withUpdateLock<T>(
  db: Database,
  work: () => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  if (db.kind === 'pglite') return { ran: true, result: await work() };
  return db.transaction(async (tx) => {
    // An idle transaction is what holds the lock here: no server-side idle timeout may end it.
    await tx.query("set local idle_in_transaction_session_timeout = '0'");
    const [row] = await tx.query<{ locked: boolean }>(
      'select pg_try_advisory_xact_lock(hashtext($1)) as locked',
      [LOCK_NAME],
    );
    if (!row?.locked) return { ran: false as const };
    return { ran: true as const, result: await work() };
  });
}
