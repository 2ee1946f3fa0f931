import type { Database, Queryable } from './database.js';
import { DatabaseSchemaNewerError, MigrationFailedError } from './errors.js';

export interface Migration {
  /** Stable forever once released; sorts in application order (e.g. `0001-advisories`). */
  id: string;
  sql: string;
}

export interface MigrateOptions {
  /** Which package's migrations these are; several packages share one `schema_migrations` table. */
  namespace: string;
  migrations: readonly Migration[];
}

export interface MigrateResult {
  applied: string[];
}

const CREATE_TABLE = `create table if not exists schema_migrations (
  namespace text not null,
  id text not null,
  applied_at timestamptz not null default now(),
  primary key (namespace, id)
)`;

/**
 * Applies the migrations not yet recorded, in order, each in its own transaction. Every transaction
 * first takes an advisory lock for the namespace, so two processes starting together apply each
 * migration once: the second waits, then sees it recorded.
 */
export async function migrate(db: Database, options: MigrateOptions): Promise<MigrateResult> {
  const { namespace, migrations } = options;
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      const done = await lockAndReadApplied(tx, namespace);
      refuseUnknown(db.location, namespace, migrations, done);
      if (done.has(migration.id)) return false;
      await apply(tx, namespace, migration);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  if (migrations.length === 0) {
    await db.transaction(async (tx) =>
      refuseUnknown(db.location, namespace, migrations, await lockAndReadApplied(tx, namespace)),
    );
  }
  return { applied };
}

async function lockAndReadApplied(tx: Queryable, namespace: string): Promise<Set<string>> {
  await tx.query(`select pg_advisory_xact_lock(hashtext('customs.migrate.' || $1::text))`, [namespace]);
  await tx.exec(CREATE_TABLE);
  const rows = await tx.query<{ id: string }>('select id from schema_migrations where namespace = $1', [
    namespace,
  ]);
  return new Set(rows.map((row) => row.id));
}

function refuseUnknown(
  location: string,
  namespace: string,
  migrations: readonly Migration[],
  done: Set<string>,
): void {
  const known = new Set(migrations.map((migration) => migration.id));
  const unknown = [...done].filter((id) => !known.has(id)).sort();
  if (unknown.length > 0) throw new DatabaseSchemaNewerError(location, namespace, unknown);
}

async function apply(tx: Queryable, namespace: string, migration: Migration): Promise<void> {
  try {
    await tx.exec(migration.sql);
  } catch (error) {
    throw new MigrationFailedError(namespace, migration.id, error);
  }
  await tx.query('insert into schema_migrations (namespace, id) values ($1, $2)', [namespace, migration.id]);
}
