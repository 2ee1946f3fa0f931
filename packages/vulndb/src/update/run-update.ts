import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database, Queryable } from '@customs/db';
import { UpdateFailedError } from '../errors.js';
import { importSourcesInTransaction } from '../import/import-advisories.js';
import type { ChangedPackage, ImportReport } from '../import/import-report.js';
import { changedCount } from '../import/import-report.js';
import { migrateVulnDb } from '../schema/migrations.js';
import type { S3Options } from '../sources/s3-source.js';
import {
  readSourceStates,
  recordDataVersion,
  writeSourceStates,
  type DataVersion,
  type SourceCounts,
  type SourceState,
} from '../state/data-version.js';
import { fetchAlpineSecdb } from './alpine-secdb-fetch.js';
import {
  CVE_LIST_SOURCE,
  cvesToAsk,
  fetchCveSeverities,
  MIRROR_CVE_LIST_DIR,
  publishesCveList,
  storeCveSeverities,
  type CveListOutcome,
} from './cve-list.js';
import type { DownloadOptions } from './download-file.js';
import type { FetchedSource } from './fetched-source.js';
import { httpsFiles, type HttpsFilesOptions } from './https-files.js';
import {
  ALPINE_SECDB_SOURCE,
  ALPINE_SECDB_URL,
  MIRROR_SECDB_DIR,
  OSV_EXPORT_URL,
  osvSourceId,
} from './known-sources.js';
import { fetchOsvEcosystem } from './osv-export.js';
import type { RemoteFiles } from './remote-files.js';
import { s3Files } from './s3-files.js';

export interface UpdateOptions {
  /** OSV export directories to fetch (`Debian`, `PyPI`, …). */
  ecosystems: readonly string[];
  /** Alpine secdb branches (`v3.19`); none: secdb is not fetched. */
  alpineBranches?: readonly string[];
  /** Mirror roots tried first, in order: `https://…` or `s3://bucket/prefix`, each in the OSV export layout. */
  mirrors?: readonly string[];
  /** Upstream roots tried after the mirrors; null leaves upstream out (air-gapped sites, tests). */
  upstream?: { osv: string | null; alpineSecdb: string | null };
  /**
   * A cvelistV5 root (`CVE_LIST_URL`, or a copy) tried after the mirrors' `cvelistV5/` for severities
   * of unrated advisories. Default none: upstream is one request per CVE (tens of thousands for a
   * distro), so a site opts in or mirrors the list.
   */
  cveList?: string | null;
  http?: HttpsFilesOptions;
  s3?: S3Options;
  /** Downloads go under this directory and are removed afterwards. */
  workDir: string;
  download?: Omit<DownloadOptions, 'onBytes' | 'signal'>;
  onProgress?: (progress: UpdateProgress) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export type UpdateProgress =
  | { phase: 'download'; source: string; path: string; bytes: number; size: number | null }
  | { phase: 'import'; source: string; records: number };

export interface SourceOutcome {
  source: string;
  location: string;
  mode: FetchedSource['mode'];
  cursor: string | null;
  counts: SourceCounts | null;
}

export interface UpdateReport {
  version: DataVersion;
  sources: SourceOutcome[];
  /** Severities read from CVE List records for unrated advisories; null when no location publishes the list. */
  cveList?: CveListOutcome | null;
  /**
   * The packages whose advisories this update changed, from incremental fetches; null when a source
   * was loaded in full (a first update, or a cursor the server no longer lists): then any verdict may
   * have changed.
   */
  changedPackages: ChangedPackage[] | null;
  startedAt: Date;
  finishedAt: Date;
}

interface PlannedSource {
  source: string;
  fetch(
    files: RemoteFiles,
    cursor: string | null,
    workDir: string,
    options: DownloadOptions,
  ): Promise<FetchedSource>;
  locations: string[];
}

/**
 * Brings the vulnerability data up to date from the configured sources. Everything is downloaded
 * first (each source from its first location that works: mirrors, then upstream); then every
 * source is imported in ONE transaction that also records the new data version and each source's
 * cursor. A failed download, a corrupt zip or a dying server leaves the database exactly as it was:
 * the previous version keeps serving, and the failure is recorded in the sources' state.
 */
export async function updateVulnDb(db: Database, options: UpdateOptions): Promise<UpdateReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  await migrateVulnDb(db);
  const states = await readSourceStates(db);
  const plan = planSources(options);
  await mkdir(options.workDir, { recursive: true });
  const work = await mkdtemp(join(options.workDir, 'update-'));
  try {
    const fetched: FetchedSource[] = [];
    for (const [index, planned] of plan.entries()) {
      const dir = join(work, String(index));
      await mkdir(dir);
      try {
        fetched.push(await fetchFirst(planned, states.get(planned.source)?.cursor ?? null, dir, options));
      } catch (error) {
        await recordFailure(db, [planned.source], states, error, startedAt);
        throw error instanceof UpdateFailedError ? error : new UpdateFailedError(messageOf(error), error);
      }
    }
    try {
      return await db.transaction(async (tx) => {
        const outcomes: SourceOutcome[] = [];
        let changed = 0;
        let changedPackages: ChangedPackage[] | null = [];
        for (const source of fetched) {
          if (source.mode === 'unchanged') {
            outcomes.push({ ...source, counts: null });
            continue;
          }
          const [report] = await importSourcesInTransaction(tx, [source.advisories], {
            now,
            ...(options.signal && { signal: options.signal }),
            onProgress: ({ records }) =>
              options.onProgress?.({ phase: 'import', source: source.source, records }),
          });
          const counts = report ? countsOf(report) : null;
          changed += report ? changedCount(report.totals) : 0;
          changedPackages =
            source.mode === 'full' || changedPackages === null
              ? null
              : [...changedPackages, ...(report?.changedPackages ?? [])];
          outcomes.push({
            source: source.source,
            location: source.location,
            mode: source.mode,
            cursor: source.cursor,
            counts,
          });
        }
        const cve = await enrichSeverities(tx, options, work, now(), states);
        changed += cve.outcome?.changed ?? 0;
        const finishedAt = now();
        await writeSourceStates(
          tx,
          outcomes.map((outcome) => ({
            source: outcome.source,
            cursor: outcome.cursor,
            location: outcome.location,
            lastSuccess: finishedAt,
            lastAttempt: startedAt,
            lastError: null,
            counts: outcome.counts ?? states.get(outcome.source)?.counts ?? null,
          })),
        );
        if (cve.state)
          await writeSourceStates(tx, [{ ...cve.state, lastSuccess: cve.state.lastSuccess ?? finishedAt }]);
        const version = await recordDataVersion(tx, { createdAt: finishedAt, origin: 'update', changed });
        return { version, sources: outcomes, cveList: cve.outcome, changedPackages, startedAt, finishedAt };
      });
    } catch (error) {
      await recordFailure(
        db,
        plan.map((planned) => planned.source),
        states,
        error,
        startedAt,
      );
      throw error instanceof UpdateFailedError ? error : new UpdateFailedError(messageOf(error), error);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Severities for the advisories that rate nothing, from the CVE List records of the CVEs they alias:
 * an additional source whose failure is recorded in its state but never fails the OSV update.
 */
async function enrichSeverities(
  tx: Queryable,
  options: UpdateOptions,
  work: string,
  at: Date,
  states: ReadonlyMap<string, SourceState>,
): Promise<{ outcome: CveListOutcome | null; state: SourceState | null }> {
  const locations = [
    ...(options.mirrors ?? []).map((mirror) => `${mirror.replace(/\/+$/, '')}/${MIRROR_CVE_LIST_DIR}`),
    ...(options.cveList ? [options.cveList] : []),
  ];
  const known = states.get(CVE_LIST_SOURCE);
  const state = (location: string | null, lastError: string | null): SourceState => ({
    source: CVE_LIST_SOURCE,
    cursor: null,
    location: location ?? known?.location ?? null,
    lastSuccess: lastError === null ? null : (known?.lastSuccess ?? null),
    lastAttempt: at,
    lastError,
    counts: null,
  });
  const problems: string[] = [];
  for (const location of locations) {
    const files = location.startsWith('s3://')
      ? s3Files(location, options.s3)
      : await httpsFiles(location, options.http);
    try {
      const published = await publishesCveList(files, options.signal).catch((error: unknown) => {
        if (options.signal?.aborted) throw error;
        problems.push(messageOf(error));
        return false;
      });
      if (!published) continue;
      // Network errors come back beside what was read; a database error fails the update.
      const dir = join(work, 'cve-list');
      await mkdir(dir, { recursive: true });
      const ids = await cvesToAsk(tx, at);
      const download = { ...options.download, ...(options.signal && { signal: options.signal }) };
      const { found, error } = await fetchCveSeverities(files, ids, dir, download);
      if (options.signal?.aborted) throw error;
      const changed = await storeCveSeverities(tx, found, at);
      const rated = [...found.values()].filter((severity) => severity !== null).length;
      const outcome = { location, asked: ids.length, rated, changed };
      return { outcome, state: state(location, error === null ? null : messageOf(error)) };
    } finally {
      await files.close();
    }
  }
  return { outcome: null, state: problems.length > 0 ? state(null, problems.join('; then ')) : null };
}

function planSources(options: UpdateOptions): PlannedSource[] {
  const mirrors = options.mirrors ?? [];
  const upstream = options.upstream ?? { osv: OSV_EXPORT_URL, alpineSecdb: ALPINE_SECDB_URL };
  const planned: PlannedSource[] = [...new Set(options.ecosystems)].map((ecosystem) => ({
    source: osvSourceId(ecosystem),
    locations: [...mirrors, ...(upstream.osv ? [upstream.osv] : [])],
    fetch: (files, cursor, dir, download) => fetchOsvEcosystem(files, ecosystem, cursor, dir, download),
  }));
  const branches = options.alpineBranches ?? [];
  if (branches.length > 0) {
    planned.push({
      source: ALPINE_SECDB_SOURCE,
      locations: [
        ...mirrors.map((mirror) => `${mirror.replace(/\/+$/, '')}/${MIRROR_SECDB_DIR}`),
        ...(upstream.alpineSecdb ? [upstream.alpineSecdb] : []),
      ],
      fetch: (files, cursor, dir, download) => fetchAlpineSecdb(files, branches, cursor, dir, download),
    });
  }
  return planned;
}

/** The source from its first location that answers completely; every location's failure is reported. */
async function fetchFirst(
  planned: PlannedSource,
  cursor: string | null,
  dir: string,
  options: UpdateOptions,
): Promise<FetchedSource> {
  if (planned.locations.length === 0) {
    throw new UpdateFailedError(`${planned.source}: no mirror configured and upstream is switched off`);
  }
  const problems: string[] = [];
  for (const location of planned.locations) {
    const files = location.startsWith('s3://')
      ? s3Files(location, options.s3)
      : await httpsFiles(location, options.http);
    try {
      return await planned.fetch(files, cursor, dir, {
        ...options.download,
        ...(options.signal && { signal: options.signal }),
        onBytes: ({ path, bytes, size }) =>
          options.onProgress?.({ phase: 'download', source: planned.source, path, bytes, size }),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      problems.push(messageOf(error));
    } finally {
      await files.close();
    }
  }
  throw new UpdateFailedError(`${planned.source}: ${problems.join('; then ')}`);
}

/** Outside the rolled-back transaction: the attempt and its error, cursors and last success untouched. */
async function recordFailure(
  db: Database,
  sources: readonly string[],
  states: ReadonlyMap<string, SourceState>,
  error: unknown,
  attempt: Date,
): Promise<void> {
  const message = messageOf(error);
  await writeSourceStates(
    db,
    sources.map((source) => {
      const known = states.get(source);
      return {
        source,
        cursor: known?.cursor ?? null,
        location: known?.location ?? null,
        lastSuccess: known?.lastSuccess ?? null,
        lastAttempt: attempt,
        lastError: message,
        counts: known?.counts ?? null,
      };
    }),
  ).catch(() => undefined);
}

function countsOf(report: ImportReport): SourceCounts {
  const { imported, updated, unchanged, removed, withdrawn, invalid } = report.totals;
  return { imported, updated, unchanged, removed, withdrawn, invalid };
}

function messageOf(error: unknown): string {
  if (error instanceof UpdateFailedError) return error.message;
  if (error instanceof Error)
    return error.cause instanceof Error && !error.message.includes(error.cause.message)
      ? `${error.message}: ${error.cause.message}`
      : error.message;
  return String(error);
}
