import type { Queryable } from '@customs/db';
import { migrateVulnDb } from '../schema/migrations.js';
import type { Database } from '@customs/db';

/** Counts of one source's last applied run (see EcosystemCounts). */
export interface SourceCounts {
  imported: number;
  updated: number;
  unchanged: number;
  removed: number;
  withdrawn: number;
  invalid: number;
}

export interface SourceState {
  /** `osv:Debian`, `alpine-secdb`. */
  source: string;
  /** OSV: the newest `modified` its modified_id.csv listed; secdb: sha256 of the files read. */
  cursor: string | null;
  /** Where the last success came from (mirror or upstream root). */
  location: string | null;
  lastSuccess: Date | null;
  lastAttempt: Date;
  /** The last attempt's error; null once an attempt succeeded. */
  lastError: string | null;
  counts: SourceCounts | null;
}

export interface DataVersion {
  version: number;
  createdAt: Date;
  /** `update`, or `bundle <dataVersion> from <file or reference>`. */
  origin: string;
  advisories: number;
  changed: number;
}

export interface DataStatus {
  /** The data version serving now; null before the first update or bundle import. */
  current: DataVersion | null;
  sources: SourceState[];
}

export async function readSourceStates(db: Queryable): Promise<Map<string, SourceState>> {
  const rows = await db.query<{
    source: string;
    cursor: string | null;
    location: string | null;
    last_success: Date | null;
    last_attempt: Date;
    last_error: string | null;
    counts: SourceCounts | null;
  }>('select * from vulndb_source_state order by source');
  return new Map(
    rows.map((row) => [
      row.source,
      {
        source: row.source,
        cursor: row.cursor,
        location: row.location,
        lastSuccess: row.last_success,
        lastAttempt: row.last_attempt,
        lastError: row.last_error,
        counts: row.counts,
      },
    ]),
  );
}

/** Upserts source states (inside the update's transaction, or alone to record a failure). */
export async function writeSourceStates(db: Queryable, states: readonly SourceState[]): Promise<void> {
  if (states.length === 0) return;
  await db.query(
    `insert into vulndb_source_state (source, cursor, location, last_success, last_attempt, last_error, counts)
     select source, cursor, location, last_success, last_attempt, last_error, counts
       from jsonb_to_recordset($1::jsonb) as r(source text, cursor text, location text, last_success timestamptz,
         last_attempt timestamptz, last_error text, counts jsonb)
     on conflict (source) do update set cursor = excluded.cursor, location = excluded.location,
       last_success = excluded.last_success, last_attempt = excluded.last_attempt,
       last_error = excluded.last_error, counts = excluded.counts`,
    [
      JSON.stringify(
        states.map((state) => ({
          source: state.source,
          cursor: state.cursor,
          location: state.location,
          last_success: state.lastSuccess?.toISOString() ?? null,
          last_attempt: state.lastAttempt.toISOString(),
          last_error: state.lastError,
          counts: state.counts,
        })),
      ),
    ],
  );
}

/** Records a new data version in the caller's transaction: the next number, and the advisories it holds. */
export async function recordDataVersion(
  tx: Queryable,
  entry: { createdAt: Date; origin: string; changed: number },
): Promise<DataVersion> {
  const [row] = await tx.query<{ version: number; advisories: number }>(
    `insert into vulndb_data_versions (version, created_at, origin, advisories, changed)
     select coalesce(max(version), 0) + 1, $1, $2, (select count(*)::int from vulndb_advisories), $3
       from vulndb_data_versions
     returning version, advisories`,
    [entry.createdAt.toISOString(), entry.origin, entry.changed],
  );
  return { ...entry, version: row?.version ?? 0, advisories: row?.advisories ?? 0 };
}

/** What `db status` and `GET /v1/db` show beside the counts: the serving version and every source's state. */
export async function readDataStatus(db: Database): Promise<DataStatus> {
  await migrateVulnDb(db);
  const [rows, states] = await Promise.all([
    db.query<{ version: number; created_at: Date; origin: string; advisories: number; changed: number }>(
      'select * from vulndb_data_versions order by version desc limit 1',
    ),
    readSourceStates(db),
  ]);
  const row = rows[0];
  return {
    current: row
      ? {
          version: row.version,
          createdAt: row.created_at,
          origin: row.origin,
          advisories: row.advisories,
          changed: row.changed,
        }
      : null,
    sources: [...states.values()],
  };
}
