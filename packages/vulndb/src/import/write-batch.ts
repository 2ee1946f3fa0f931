import type { Queryable } from '@customs/db';
import { PACKAGE_ENTRIES_GROUP, PACKAGE_ENTRIES_SELECT } from '../schema/package-entries.js';
import { lockPackagesGeneration } from '../schema/packages-generation.js';
import type { RecordRows } from './record-rows.js';

export interface PendingRecord {
  rows: RecordRows;
  withdrawn: boolean;
  file: string;
}

/**
 * imported: new id. updated: a newer `modified` replaced the stored record. unchanged: same or older.
 * removed: a withdrawn record deleted the stored one. withdrawn: withdrawn, and nothing was stored.
 */
export type RecordOutcome = 'imported' | 'updated' | 'unchanged' | 'removed' | 'withdrawn';

const ADVISORY_COLUMNS = `id text, modified timestamptz, published timestamptz, aliases text[], related text[],
  upstream text[], summary text, details text, severity jsonb, severity_rating text, severity_score real,
  severity_vector text, severity_source text, refs jsonb, database_specific jsonb, record jsonb, source text`;

const AFFECTED_COLUMNS = `advisory_id text, ordinal integer, ecosystem text, ecosystem_base text,
  ecosystem_release text, release_key text, package_name text, name_key text, purl text, ranges jsonb,
  versions jsonb, versions_extra jsonb, git_ranges integer, severity jsonb`;

/** Column names of a recordset definition, in order. */
function names(columns: string): string {
  return columns
    .split(',')
    .map((column) => column.trim().split(/\s+/)[0])
    .join(', ');
}

/** What a batch did: one outcome per record, in order, and the packages whose lookup rows changed. */
export interface BatchResult {
  outcomes: RecordOutcome[];
  touched: PackageKey[];
}

/**
 * Writes a batch inside the caller's transaction, in a fixed number of statements whatever its size:
 * rows travel as one jsonb document each way (jsonb_to_recordset), which PostgreSQL 15 and PGlite
 * both read.
 */
export async function writeBatch(tx: Queryable, batch: readonly PendingRecord[]): Promise<BatchResult> {
  const winners = newestPerId(batch);
  const stored = await storedState(tx, [...winners.values()]);
  const outcomes = batch.map((pending): RecordOutcome => {
    if (winners.get(pending.rows.advisory.id) !== pending) return 'unchanged';
    const state = stored.get(pending.rows.advisory.id);
    if (pending.withdrawn) return state ? 'removed' : 'withdrawn';
    if (!state) return 'imported';
    return state.older ? 'updated' : 'unchanged';
  });
  const replaced = batch.filter((_, index) => outcomes[index] === 'updated' || outcomes[index] === 'removed');
  const written = batch.filter((_, index) => outcomes[index] === 'imported' || outcomes[index] === 'updated');
  if (replaced.length > 0 || written.length > 0) await lockPackagesGeneration(tx);
  const touched = await touchedPackages(tx, replaced, written);
  if (replaced.length > 0) {
    await tx.query('delete from vulndb_advisories where id = any($1::text[])', [
      replaced.map((pending) => pending.rows.advisory.id),
    ]);
  }
  if (written.length > 0) {
    await tx.query(
      `insert into vulndb_advisories (${names(ADVISORY_COLUMNS)})
       select ${names(ADVISORY_COLUMNS)} from jsonb_to_recordset($1::jsonb) as r(${ADVISORY_COLUMNS})`,
      [JSON.stringify(written.map((pending) => pending.rows.advisory))],
    );
    const affected = written.flatMap((pending) => pending.rows.affected);
    if (affected.length > 0) {
      await tx.query(
        `insert into vulndb_affected (${names(AFFECTED_COLUMNS)})
         select ${names(AFFECTED_COLUMNS)} from jsonb_to_recordset($1::jsonb) as r(${AFFECTED_COLUMNS})`,
        [JSON.stringify(affected)],
      );
    }
  }
  if (touched.length > 0) await refreshPackages(tx, touched);
  return { outcomes, touched };
}

/** Every (ecosystem base, name) whose lookup row changes: named by the new rows or by the ones replaced. */
async function touchedPackages(
  tx: Queryable,
  replaced: readonly PendingRecord[],
  written: readonly PendingRecord[],
): Promise<PackageKey[]> {
  const keys = new Map<string, PackageKey>();
  const add = (base: string, name: string, release: string) =>
    keys.set(`${base}\u0000${name}\u0000${release}`, { base, name, release });
  for (const pending of written) {
    for (const row of pending.rows.affected) add(row.ecosystem_base, row.name_key, row.release_key ?? '');
  }
  if (replaced.length > 0) {
    const old = await tx.query<PackageKey>(
      `select distinct ecosystem_base as base, name_key as name, coalesce(release_key, '') as release
         from vulndb_affected where advisory_id = any($1::text[])`,
      [replaced.map((pending) => pending.rows.advisory.id)],
    );
    for (const row of old) add(row.base, row.name, row.release);
  }
  return [...keys.values()];
}

/** A package as lookups key it: ecosystem base, normalised name, release key ('' for none). */
export interface PackageKey {
  base: string;
  name: string;
  release: string;
}

/** Rebuilds the lookup rows of the touched packages from the tables, in the batch's transaction. */
async function refreshPackages(tx: Queryable, touched: readonly PackageKey[]): Promise<void> {
  const keys = JSON.stringify(touched);
  await tx.query(
    `delete from vulndb_packages p using jsonb_to_recordset($1::jsonb) as t(base text, name text, release text)
      where p.ecosystem_base = t.base and p.name_key = t.name and p.release_key = t.release`,
    [keys],
  );
  await tx.query(
    `insert into vulndb_packages (ecosystem_base, name_key, release_key, entries)
     ${PACKAGE_ENTRIES_SELECT}
     join jsonb_to_recordset($1::jsonb) as t(base text, name text, release text)
       on a.ecosystem_base = t.base and a.name_key = t.name and coalesce(a.release_key, '') = t.release
     ${PACKAGE_ENTRIES_GROUP}`,
    [keys],
  );
}

/** The same id twice in one batch: only the newest copy is written, the others count as unchanged. */
function newestPerId(batch: readonly PendingRecord[]): Map<string, PendingRecord> {
  const winners = new Map<string, PendingRecord>();
  for (const pending of batch) {
    const known = winners.get(pending.rows.advisory.id);
    if (!known || Date.parse(pending.rows.advisory.modified) > Date.parse(known.rows.advisory.modified)) {
      winners.set(pending.rows.advisory.id, pending);
    }
  }
  return winners;
}

/** For ids already stored: whether the stored copy is older than the incoming one (compared in SQL, to the microsecond). */
async function storedState(
  tx: Queryable,
  batch: readonly PendingRecord[],
): Promise<Map<string, { older: boolean }>> {
  const incoming = batch.map((pending) => ({
    id: pending.rows.advisory.id,
    modified: pending.rows.advisory.modified,
  }));
  const rows = await tx.query<{ id: string; older: boolean }>(
    `select a.id, a.modified < r.modified as older
       from jsonb_to_recordset($1::jsonb) as r(id text, modified timestamptz)
       join vulndb_advisories a on a.id = r.id`,
    [JSON.stringify(incoming)],
  );
  return new Map(rows.map((row) => [row.id, { older: row.older }]));
}
