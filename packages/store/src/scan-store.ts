import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '@customs/db';
import type { IndexedImage } from '@customs/indexer';
import {
  writeIndexChildren,
  writeManifest,
  type ImageLocation,
  type IndexChild,
  type ManifestExtra,
} from './image-store.js';

export const SCAN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];
export type ScanTrigger = 'webhook' | 'api' | 'rescan';

/** A request to scan one image digest, and how it went. */
export interface Scan extends ImageLocation {
  id: string;
  digest: string;
  tag: string | null;
  trigger: ScanTrigger;
  status: ScanStatus;
  /** `{ code, message }` of the last failure: what a user needs to act. */
  error: { code: string; message: string } | null;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Layers found already analysed, and layers downloaded, by the run that finished the scan. */
  layersCached: number | null;
  layersFetched: number | null;
}

export interface ScanStats {
  layersCached: number;
  layersFetched: number;
}

/** One manifest's inventory as a scan found it. */
export interface ScanImage {
  image: IndexedImage;
  where: ImageLocation;
  extra: ManifestExtra;
}

/** What a scan found, stored together with its `done`. */
export interface ScanResult {
  stats?: ScanStats;
  images?: readonly ScanImage[];
  /** The job's digest was an index: the platform manifests it holds. */
  index?: { digest: string; children: readonly IndexChild[] };
}

/** Finished scans over a window: what /metrics reports, whichever process did the work. */
export interface ScanSummary {
  finished: number;
  failed: number;
  durationsSeconds: number[];
  layersCached: number;
  layersFetched: number;
}

export type ScanRequest = ImageLocation & { digest: string; tag?: string | null; trigger: ScanTrigger };

export interface ScanStore {
  create(request: ScanRequest): Promise<Scan>;
  /**
   * The digest's open (queued or running) scan; else, when `reuseDoneSeconds` is given, its newest scan
   * if that finished done within as many seconds; else a new scan. Decided under a lock on the digest
   * held by the database, so simultaneous requests in any number of processes get one scan.
   */
  openOrCreate(
    request: ScanRequest,
    options?: { reuseDoneSeconds?: number },
  ): Promise<{ scan: Scan; created: boolean }>;
  get(id: string): Promise<Scan | null>;
  /** Records that the API token asked for the scan (again, or as a duplicate of an open one: idempotent). */
  addRequester(id: string, tokenId: string): Promise<void>;
  /** Whether the API token asked for the scan. */
  requestedBy(id: string, tokenId: string): Promise<boolean>;
  /** The newest scan of a digest, whatever its state. */
  latestFor(digest: string): Promise<Scan | null>;
  /**
   * Marks an attempt as running; false when the scan is already done. A job BullMQ runs again after
   * its lock expired must not turn a scan another attempt finished back into running.
   */
  started(id: string): Promise<boolean>;
  /**
   * Stores what the scan found and marks it done in one transaction, so no reader ever sees a verdict
   * for an inventory whose scan still says running.
   */
  finished(id: string, result?: ScanResult): Promise<void>;
  failed(id: string, error: { code: string; message: string }, final: boolean): Promise<void>;
  /** Queued scans older than `olderThanMs` — their jobs may have been lost with Redis; the caller re-enqueues. */
  stale(olderThanMs: number): Promise<Scan[]>;
  /** Scans that finished in the last `windowSeconds`. */
  summary(windowSeconds: number): Promise<ScanSummary>;
}

export interface ScanRow {
  id: string;
  digest: string;
  registry: string;
  repository: string;
  tag: string | null;
  trigger: ScanTrigger;
  status: ScanStatus;
  error: Scan['error'];
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  layers_cached: number | null;
  layers_fetched: number | null;
}

export function createScanStore(db: Database): ScanStore {
  const one = async (sql: string, params: unknown[]): Promise<Scan | null> => {
    const [row] = await db.query<ScanRow>(sql, params);
    return row ? toScan(row) : null;
  };
  return {
    async create(request) {
      return toScan(await insertScan(db, request));
    },
    get: (id) => one('select * from scans where id = $1', [id]),
    async addRequester(id, tokenId) {
      await db.query(
        'insert into scan_requesters (scan_id, token_id) values ($1, $2) on conflict do nothing',
        [id, tokenId],
      );
    },
    async requestedBy(id, tokenId) {
      const rows = await db.query('select 1 from scan_requesters where scan_id = $1 and token_id = $2', [
        id,
        tokenId,
      ]);
      return rows.length > 0;
    },
    latestFor: (digest) =>
      one('select * from scans where digest = $1 order by created_at desc limit 1', [digest]),
    openOrCreate(request, options = {}) {
      return db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [SCAN_LOCK_CLASS, request.digest]);
        // The open scan if there is one, else the newest: reused if it is done and fresh enough.
        const [row] = await tx.query<ScanRow & { reusable: boolean }>(
          `select *, status in ('queued', 'running')
                     or (status = 'done' and finished_at > now() - $2 * interval '1 second') as reusable
             from scans where digest = $1
            order by status in ('queued', 'running') desc, created_at desc limit 1`,
          [request.digest, options.reuseDoneSeconds ?? 0],
        );
        if (row?.reusable) return { scan: toScan(row), created: false };
        return { scan: toScan(await insertScan(tx, request)), created: true };
      });
    },
    async started(id) {
      const rows = await db.query(
        `update scans set status = 'running', started_at = now(), attempts = attempts + 1
          where id = $1 and status <> 'done' returning id`,
        [id],
      );
      return rows.length > 0;
    },
    async finished(id, result = {}) {
      await db.transaction(async (tx) => {
        for (const { image, where, extra } of result.images ?? []) {
          await writeManifest(tx, image, where, extra);
        }
        if (result.index) await writeIndexChildren(tx, result.index.digest, result.index.children);
        await tx.query(
          `update scans set status = 'done', error = null, finished_at = now(), layers_cached = $2, layers_fetched = $3
            where id = $1`,
          [id, result.stats?.layersCached ?? null, result.stats?.layersFetched ?? null],
        );
      });
    },
    async failed(id, error, final) {
      await db.query(
        `update scans set status = $2, error = $3::jsonb, finished_at = case when $4 then now() else null end
          where id = $1`,
        [id, final ? 'failed' : 'queued', JSON.stringify(error), final],
      );
    },
    async stale(olderThanMs) {
      const rows = await db.query<ScanRow>(
        `select * from scans where status = 'queued' and created_at < now() - $1 * interval '1 millisecond'
          order by created_at`,
        [olderThanMs],
      );
      return rows.map(toScan);
    },
    async summary(windowSeconds) {
      const rows = await db.query<{
        status: string;
        seconds: number | null;
        cached: number | null;
        fetched: number | null;
      }>(
        `select status, extract(epoch from (finished_at - coalesce(started_at, created_at)))::float8 as seconds,
                layers_cached as cached, layers_fetched as fetched
           from scans where finished_at > now() - $1 * interval '1 second'`,
        [windowSeconds],
      );
      const done = rows.filter((row) => row.status === 'done');
      return {
        finished: done.length,
        failed: rows.filter((row) => row.status === 'failed').length,
        durationsSeconds: done.flatMap((row) => (row.seconds === null ? [] : [Number(row.seconds)])),
        layersCached: done.reduce((sum, row) => sum + (row.cached ?? 0), 0),
        layersFetched: done.reduce((sum, row) => sum + (row.fetched ?? 0), 0),
      };
    },
  };
}

/** Advisory lock class of "deciding the scan of a digest" (the digest's hash is the object id). */
const SCAN_LOCK_CLASS = 0x5ca7;

async function insertScan(db: Queryable, request: ScanRequest): Promise<ScanRow> {
  const [row] = await db.query<ScanRow>(
    `insert into scans (id, digest, registry, repository, tag, trigger, status)
     values ($1, $2, $3, $4, $5, $6, 'queued') returning *`,
    [
      randomUUID(),
      request.digest,
      request.registry,
      request.repository,
      request.tag ?? null,
      request.trigger,
    ],
  );
  if (!row) throw new Error(`no scan row came back for ${request.digest}`);
  return row;
}

export function toScan(row: ScanRow): Scan {
  return {
    id: row.id,
    digest: row.digest,
    registry: row.registry,
    repository: row.repository,
    tag: row.tag,
    trigger: row.trigger,
    status: row.status,
    error: row.error,
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    layersCached: row.layers_cached,
    layersFetched: row.layers_fetched,
  };
}
