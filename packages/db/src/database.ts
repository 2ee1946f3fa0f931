/** A row as the driver returns it: column name to value (jsonb parsed, timestamptz as Date, int8 as number). */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement with `$1…` parameters. Pass jsonb as `JSON.stringify(value)` with a `::jsonb` cast. */
  query<R extends object = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Where the data lives, safe to show: the URL without its password, or the data directory. */
  readonly location: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://` or `postgresql://` URL of a PostgreSQL server. Wins over `dataDir`. */
  url?: string;
  /** Directory of an embedded PGlite database, created if missing; `memory://` for a throwaway one. */
  dataDir?: string;
}
