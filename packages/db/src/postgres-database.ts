import pg from 'pg';
import type { Database, Queryable, Row } from './database.js';
import { DatabaseUnavailableError } from './errors.js';

const INT8_OID = 20;

/**
 * int8 (count(*), bigint ids) comes back as a number, as PGlite returns it, so callers see the same
 * types on both backends. Set per pool: pg's global type registry would change every other pool too.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The URL as it may be shown: the password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/** Opens a pool and checks the server answers, so a wrong URL fails here and not at the first query. */
export async function openPostgres(url: string): Promise<Database> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, types });
  // An idle client losing its connection emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(
      location,
      error instanceof Error ? error.message : String(error),
      error,
    );
  }
  return new PostgresDatabase(pool, location);
}

function queryableOf(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R extends object = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      const result = await client.query<R>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  private readonly direct: Queryable;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {
    this.direct = queryableOf(pool);
  }

  query<R extends object = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.direct.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const result = await fn(queryableOf(client));
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      // A client whose rollback failed is in an unknown state: destroy it instead of reusing it.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
