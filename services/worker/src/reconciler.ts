import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  createScanQueues,
  RESCAN_QUEUE,
  SCAN_QUEUE,
  scanJobId,
  type QueueTuning,
  type ScanImageJob,
} from '@customs/queue';
import type { Scan, Store } from '@customs/store';
import type { Logger } from 'pino';

export interface ReconcilerOptions {
  /** A scan queued longer than this, whose job Redis no longer holds, is queued again. */
  staleAfterMs: number;
  /** How often a pass runs (in every worker process; one at a time across them). */
  intervalMs: number;
}

export const DEFAULT_RECONCILER: ReconcilerOptions = { staleAfterMs: 5 * 60_000, intervalMs: 60_000 };

export interface ReconcilerDeps {
  store: Pick<Store, 'db' | 'scans'>;
  redisUrl: string;
  /** The producers' retry settings, given to the jobs queued again. */
  tuning?: Partial<QueueTuning>;
  logger: Logger;
  options: ReconcilerOptions;
}

export interface Reconciler {
  /** One pass; the number of scans queued again (0 when another process is running a pass). */
  runOnce(): Promise<number>;
  close(): Promise<void>;
}

/** A number no other Customs component locks: makes passes one at a time across processes. */
const RECONCILE_LOCK = 73_050_112_001;

/** Job states in which BullMQ will still run the job. */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/**
 * PostgreSQL is the record of what was asked; Redis only of what is left to do. When Redis loses its
 * data (no persistence, a failover, FLUSHALL) between a scan's creation and its run, the scan stays
 * `queued` with no job: each pass finds such scans and queues them again. The first pass runs at once.
 */
export function startReconciler(deps: ReconcilerDeps): Reconciler {
  // Not the workers' connection: that one waits forever for Redis; a pass should fail and try later.
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  const producer = createScanQueues(connection, deps.tuning);
  const queues = {
    scan: new Queue(SCAN_QUEUE, { connection }),
    rescan: new Queue(RESCAN_QUEUE, { connection }),
  };
  // Without a listener BullMQ prints each connection error as a raw stack trace.
  for (const queue of [queues.scan, queues.rescan]) queue.on('error', () => undefined);
  let running: Promise<number> | null = null;

  async function requeueStale(): Promise<number> {
    let requeued = 0;
    for (const scan of await deps.store.scans.stale(deps.options.staleAfterMs)) {
      if (await requeueIfLost(scan)) requeued += 1;
    }
    return requeued;
  }

  async function pass(): Promise<number> {
    // An embedded PGlite belongs to one process (its data directory is locked), so there is no other
    // reconciler; and its single connection would wait on itself for a query outside the transaction.
    if (deps.store.db.kind === 'pglite') return requeueStale();
    return deps.store.db.transaction(async (tx) => {
      const [lock] = await tx.query<{ held: boolean }>('select pg_try_advisory_xact_lock($1) as held', [
        RECONCILE_LOCK,
      ]);
      return lock?.held ? requeueStale() : 0;
    });
  }

  async function requeueIfLost(scan: Scan): Promise<boolean> {
    const rescan = scan.trigger === 'rescan';
    const jobId = rescan ? `rescan-${scan.id}` : scanJobId(scan.digest);
    const job: Job | undefined = await (rescan ? queues.rescan : queues.scan).getJob(jobId);
    if (job) {
      // A job still to run (for this scan, or an earlier scan of the digest) is left alone.
      if (PENDING_STATES.has(await job.getState())) return false;
      // A finished job of the same id would swallow the new one.
      await job.remove();
    }
    const data: ScanImageJob = {
      v: 1,
      scanId: scan.id,
      registry: scan.registry,
      repository: scan.repository,
      digest: scan.digest,
      tag: scan.tag,
      requestedAt: scan.createdAt.toISOString(),
    };
    await (rescan ? producer.enqueueRescan(data) : producer.enqueueScan(data));
    deps.logger.warn(
      {
        scanId: scan.id,
        image: `${scan.registry}/${scan.repository}@${scan.digest}`,
        jobId,
        job: job ? 'finished' : 'missing',
      },
      'queued scan had no job in Redis; queued it again',
    );
    return true;
  }

  function runOnce(): Promise<number> {
    running ??= pass().finally(() => (running = null));
    return running;
  }

  const tick = (): void => {
    runOnce().catch((error: unknown) =>
      deps.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'reconcile pass failed; trying again at the next one',
      ),
    );
  };
  const timer = setInterval(tick, deps.options.intervalMs);
  timer.unref();
  tick();

  return {
    runOnce,
    async close() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      await Promise.all([queues.scan.close(), queues.rescan.close(), producer.close()]);
      connection.disconnect();
    },
  };
}
