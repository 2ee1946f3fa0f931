import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable, Row } from './database.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { DatabaseOpenError } from './errors.js';

export const IN_MEMORY = 'memory://';

/** Opens (creating if needed) an embedded PostgreSQL in `dataDir`, locked to this process while open. */
export async function openPglite(dataDir: string): Promise<Database> {
  const lock = dataDir === IN_MEMORY ? null : await lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(dataDir === IN_MEMORY ? undefined : { dataDir });
    return new PgliteDatabase(pglite, dataDir, lock);
  } catch (error) {
    await lock?.release();
    throw new DatabaseOpenError(dataDir, error);
  }
}

function queryableOf(target: PGlite | Transaction): Queryable {
  return {
    async query<R extends object = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const result = await target.query<R>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
  };
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  private readonly direct: Queryable;

  constructor(
    private readonly pglite: PGlite,
    readonly location: string,
    private readonly lock: DataDirLock | null,
  ) {
    this.direct = queryableOf(pglite);
  }

  query<R extends object = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.direct.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(queryableOf(tx)));
  }

  async close(): Promise<void> {
    try {
      await this.pglite.close();
    } finally {
      await this.lock?.release();
    }
  }
}
