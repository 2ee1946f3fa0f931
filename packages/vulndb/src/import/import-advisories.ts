import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '@customs/db';
import { isCustomsError } from '@customs/errors';
import { ImportAbortedError, SourceUnreadableError } from '../errors.js';
import { validateOsvRecord } from '../osv/osv-record.js';
import { formatOfName, isAlpineSecdb, looksLikeOsvRecord, parseDocumentText } from '../osv/parse-document.js';
import { migrateVulnDb } from '../schema/migrations.js';
import { convertSecdb, type SecdbFile } from '../sources/alpine-secdb.js';
import { openSource, type SourceOptions } from '../sources/open-source.js';
import type { AdvisorySource, SourceEntry } from '../sources/source-entry.js';
import {
  ImportTally,
  type ChangedPackage,
  type ImportProgress,
  type ImportReport,
  type ImportResult,
  type InvalidRecord,
} from './import-report.js';
import { ecosystemsOfDocument, NO_ECOSYSTEM, recordRows } from './record-rows.js';
import { writeBatch, type PackageKey, type PendingRecord } from './write-batch.js';

export interface ImportOptions extends SourceOptions {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Records per transaction (default 500). */
  batchSize?: number;
  now?: () => Date;
}

/**
 * Imports OSV records (and Alpine secdb files, converted) from a directory, a zip, an https URL or an
 * s3:// prefix. Each batch is one transaction; a batch the database rejects is retried record by
 * record, so one bad record is reported invalid and never leaves half its rows behind. Invalid
 * records are counted and listed, never fatal; a source that cannot be read at all throws.
 */
export async function importAdvisories(
  db: Database,
  location: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  await migrateVulnDb(db);
  const source = await openSource(location, options);
  const report = await importFrom(source, (fn) => db.transaction(fn), options, startedAt, now);
  await recordImport(db, report);
  return report;
}

/** Runs one batch's writes: in its own transaction, or under a savepoint of an enclosing one. */
export type BatchRunner = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

/**
 * Imports every source inside the caller's transaction `tx`: each batch runs under a savepoint, so a
 * record the database refuses is still found and reported alone, while nothing is visible to other
 * connections (and everything is undone) until the caller commits (or rolls back). Import-log rows
 * are written in the same transaction.
 */
export async function importSourcesInTransaction(
  tx: Queryable,
  sources: readonly AdvisorySource[],
  options: Omit<ImportOptions, keyof SourceOptions> = {},
): Promise<ImportResult[]> {
  const now = options.now ?? (() => new Date());
  const runBatch = savepoints(tx);
  const reports: ImportResult[] = [];
  for (const source of sources) {
    const report = await importFrom(source, runBatch, options, now(), now);
    await recordImport(tx, report);
    reports.push(report);
  }
  return reports;
}

function savepoints(tx: Queryable): BatchRunner {
  let count = 0;
  return async (fn) => {
    const name = `vulndb_batch_${++count}`;
    await tx.query(`savepoint ${name}`);
    try {
      const result = await fn(tx);
      await tx.query(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await tx.query(`rollback to savepoint ${name}`);
      throw error;
    }
  };
}

async function importFrom(
  source: AdvisorySource,
  runBatch: BatchRunner,
  options: Omit<ImportOptions, keyof SourceOptions>,
  startedAt: Date,
  now: () => Date,
): Promise<ImportResult> {
  const run = new ImportRun(runBatch, source.description, options.batchSize ?? 500, options.onProgress);
  const secdb: SecdbFile[] = [];
  try {
    for await (const entry of source.entries(options.signal)) {
      if (options.signal?.aborted) throw new ImportAbortedError(source.description);
      const document = run.parse(entry);
      if (document === undefined) continue;
      if (isAlpineSecdb(document))
        secdb.push({ file: entry.name, modifiedAt: entry.modifiedAt ?? startedAt, document });
      else if (looksLikeOsvRecord(document)) await run.add(document, entry.name);
      else run.skip(entry.name, 'neither an OSV record nor an Alpine secdb file');
    }
  } catch (error) {
    if (options.signal?.aborted) throw new ImportAbortedError(source.description);
    if (isCustomsError(error)) throw error;
    throw new SourceUnreadableError(
      source.description,
      error instanceof Error ? error.message : String(error),
      error,
    );
  }
  const converted = convertSecdb(secdb);
  for (const skipped of converted.skipped) run.skip(skipped.file, skipped.problem);
  for (const record of converted.records) await run.add(record.document, record.file);
  await run.flush();
  return run.report(startedAt, now());
}

class ImportRun {
  private readonly tally = new ImportTally();
  private readonly invalid: InvalidRecord[] = [];
  private readonly skipped: Array<{ file: string; problem: string }> = [];
  private readonly touched = new Map<string, PackageKey>();
  private pending: PendingRecord[] = [];
  private files = 0;
  private records = 0;

  constructor(
    private readonly runBatch: BatchRunner,
    private readonly source: string,
    private readonly batchSize: number,
    private readonly onProgress: ((progress: ImportProgress) => void) | undefined,
  ) {}

  /** The file's document, or undefined when it is not JSON/YAML at all (reported invalid). */
  parse(entry: SourceEntry): unknown {
    this.files += 1;
    const format = formatOfName(entry.name) ?? 'json';
    try {
      return parseDocumentText(new TextDecoder('utf-8', { fatal: true }).decode(entry.data), format);
    } catch (error) {
      this.reject([NO_ECOSYSTEM], {
        id: '?',
        file: entry.name,
        problem: `not valid ${format.toUpperCase()}: ${messageOf(error)}`,
      });
      return undefined;
    }
  }

  async add(document: unknown, file: string): Promise<void> {
    const validation = validateOsvRecord(document);
    if (!validation.ok) {
      this.reject(ecosystemsOfDocument(document), { id: validation.id, file, problem: validation.problem });
      return;
    }
    const rows = recordRows(validation.record, document, this.source);
    this.pending.push({ rows, withdrawn: validation.record.withdrawn !== undefined, file });
    if (this.pending.length >= this.batchSize) await this.flush();
  }

  skip(file: string, problem: string): void {
    this.skipped.push({ file, problem });
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const { outcomes, touched } = await this.runBatch((tx) => writeBatch(tx, batch));
      batch.forEach((pending, index) => this.count(pending, outcomes[index] ?? 'unchanged'));
      this.touch(touched);
    } catch (error) {
      if (!refusesData(error)) throw error;
      // One record in the batch broke the transaction (e.g. a NUL character jsonb refuses): find it.
      for (const pending of batch) await this.writeAlone(pending);
    }
    this.records += batch.length;
    this.onProgress?.({
      files: this.files,
      records: this.records,
      current: batch[batch.length - 1]?.file ?? '',
    });
  }

  private async writeAlone(pending: PendingRecord): Promise<void> {
    try {
      const { outcomes, touched } = await this.runBatch((tx) => writeBatch(tx, [pending]));
      this.count(pending, outcomes[0] ?? 'unchanged');
      this.touch(touched);
    } catch (error) {
      if (!refusesData(error)) throw error;
      this.reject(pending.rows.ecosystems, {
        id: pending.rows.advisory.id,
        file: pending.file,
        problem: `database refused it: ${messageOf(error)}`,
      });
    }
  }

  private touch(keys: readonly PackageKey[]): void {
    for (const key of keys) this.touched.set(`${key.base}\u0000${key.release}\u0000${key.name}`, key);
  }

  private count(pending: PendingRecord, outcome: Parameters<ImportTally['add']>[1]): void {
    this.tally.add(pending.rows.ecosystems, outcome, pending.rows.gitRanges);
  }

  private reject(ecosystems: readonly string[], invalid: InvalidRecord): void {
    this.invalid.push(invalid);
    this.tally.add(ecosystems, 'invalid');
  }

  report(startedAt: Date, finishedAt: Date): ImportResult {
    return {
      source: this.source,
      startedAt,
      finishedAt,
      ecosystems: this.tally.ecosystems(),
      totals: { ...this.tally.totals },
      invalid: this.invalid,
      skipped: this.skipped,
      changedPackages: [...this.touched.values()].map(changedPackage).sort(comparePackages),
    };
  }
}

function changedPackage(key: PackageKey): ChangedPackage {
  return { ecosystem: key.base, release: key.release === '' ? null : key.release, name: key.name };
}

function comparePackages(a: ChangedPackage, b: ChangedPackage): number {
  const keyOf = (p: ChangedPackage) => `${p.ecosystem}\u0000${p.release ?? ''}\u0000${p.name}`;
  return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
}

/** One import-log row per ecosystem, for `db status`. */
async function recordImport(db: Queryable, report: ImportReport): Promise<void> {
  if (report.ecosystems.length === 0) return;
  const runId = randomUUID();
  const rows = report.ecosystems.map((counts) => ({
    run_id: runId,
    ecosystem: counts.ecosystem,
    source: report.source,
    started_at: report.startedAt.toISOString(),
    finished_at: report.finishedAt.toISOString(),
    imported: counts.imported,
    updated: counts.updated,
    unchanged: counts.unchanged,
    removed: counts.removed,
    withdrawn: counts.withdrawn,
    invalid: counts.invalid,
    git_ranges_ignored: counts.gitRangesIgnored,
  }));
  await db.query(
    `insert into vulndb_imports
     select * from jsonb_to_recordset($1::jsonb) as r(run_id text, ecosystem text, source text, started_at timestamptz,
       finished_at timestamptz, imported integer, updated integer, unchanged integer, removed integer, withdrawn integer,
       invalid integer, git_ranges_ignored integer)`,
    [JSON.stringify(rows)],
  );
}

/**
 * PostgreSQL refused a value (SQLSTATE class 22 data exception, 23 integrity, 54 over a limit):
 * a record to report invalid. Anything else (connection lost, server gone) fails the import
 * instead of marking every following record invalid.
 */
function refusesData(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return typeof error.code === 'string' && /^(22|23|54)/.test(error.code);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
