import type { ServiceConfig } from '@customs/config';
import { createIndexer, type IndexerOptions } from '@customs/indexer';
import {
  createRedisConnection,
  createScanCredentialStore,
  reportRedisFailures,
  startScanWorkers,
  type QueueTuning,
} from '@customs/queue';
import { reportSbomRenderers, type RegistryClientTuning, type SbomRenderer } from '@customs/scans';
import {
  createS3ObjectStore,
  openStore,
  type ArtifactStore,
  type Store,
  type VerdictChange,
} from '@customs/store';
import type { Logger } from 'pino';
import { recordDeadLetter } from './dead-letters.js';
import { DEFAULT_RECONCILER, startReconciler, type ReconcilerOptions } from './reconciler.js';
import { createWorkerRejudger, startRejudging } from './rejudging.js';
import { createScanHandler } from './scan-handler.js';

export interface WorkerDeps {
  config: ServiceConfig;
  /** Opened by the caller; its `layers` cache (and lease times) is what every worker process shares. */
  store: Store;
  redisUrl: string;
  logger: Logger;
  /** Analyzers, limits, layer concurrency; the cache is always `store.layers`. */
  indexerOptions?: Omit<IndexerOptions, 'cache'>;
  registryClient?: RegistryClientTuning;
  /** Default: CycloneDX and SPDX from @customs/report. */
  sboms?: readonly SbomRenderer[];
  reconciler?: Partial<ReconcilerOptions>;
  /** The producers' queue settings, for jobs the reconciler queues again. */
  queueTuning?: Partial<QueueTuning>;
  /**
   * How long a close waits for running jobs (and for Redis) before it gives up on them. Default 5 s:
   * giving up takes up to about as long again (a last reconnect attempt), which stays under the 10 s
   * docker stop allows before it kills the process.
   */
  closeGraceMs?: number;
  now?(): number;
  /** Called once per recorded verdict change (scan or data update), after it was committed. */
  onVerdictChange?(change: VerdictChange): Promise<void> | void;
}

const DEFAULT_CLOSE_GRACE_MS = 5_000;

export interface RunningWorker {
  /**
   * Stops taking jobs, lets the running ones finish within `closeGraceMs`, and closes the connections
   * it opened. Past the grace (a long scan, or Redis down) it stops anyway: BullMQ gives the
   * unfinished jobs to another worker once their locks expire.
   */
  close(): Promise<void>;
}

/**
 * Starts consuming scan jobs in this process, `config.worker.concurrency` at a time. Any number of
 * processes on any number of machines may do the same against one Redis and one PostgreSQL: jobs are
 * handed out by BullMQ, layers are analysed once thanks to the store's leases, and a job whose worker
 * died is given to another after `config.worker.lockSeconds`.
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config, store, logger } = deps;
  const now = deps.now ?? Date.now;
  // The connection and every BullMQ worker fail together while Redis is down: one line per retry.
  const redisFailed = reportRedisFailures((error, failures) =>
    logger.warn({ error: error.message, failures }, 'Redis unavailable; retrying'),
  );
  const connection = createRedisConnection(deps.redisUrl, redisFailed);
  const rejudger = await createWorkerRejudger({
    config,
    store,
    logger,
    ...(deps.onVerdictChange && { onVerdictChange: deps.onVerdictChange }),
  });
  const handler = createScanHandler({
    config,
    store,
    artifacts: await artifactStoreFor(config, store),
    indexer: createIndexer({ ...deps.indexerOptions, cache: store.layers }),
    sboms: deps.sboms ?? reportSbomRenderers(),
    logger,
    ...(deps.registryClient && { registryClient: deps.registryClient }),
    // Harbor's per-scan robot credentials wait in Redis, never in the job (see @customs/queue).
    scanCredentials: createScanCredentialStore(connection),
    now,
    recordVerdict: async (digest) => {
      await rejudger.judge([digest], 'scan');
    },
  });
  const lockMs = config.worker.lockSeconds * 1000;
  const workers = startScanWorkers(connection, handler, {
    concurrency: config.worker.concurrency,
    rescanRate: { max: config.worker.rescan.max, durationMs: config.worker.rescan.perSeconds * 1000 },
    lockDurationMs: lockMs,
    stalledIntervalMs: lockMs,
    onDeadLetter: (letter) => recordDeadLetter({ store, logger }, letter),
    onError: redisFailed,
  });
  // After startScanWorkers: its copies of `connection` are the ones a forced close ends.
  const rejudging = startRejudging(connection, rejudger, { config, logger }, redisFailed);
  const reconciler = startReconciler({
    store,
    redisUrl: deps.redisUrl,
    logger,
    options: { ...DEFAULT_RECONCILER, ...deps.reconciler },
    ...(deps.queueTuning && { tuning: deps.queueTuning }),
  });
  logger.info(
    {
      concurrency: config.worker.concurrency,
      lockSeconds: config.worker.lockSeconds,
      registries: config.registries.map((registry) => registry.host),
      artifacts: config.s3 ? `s3://${config.s3.bucket}/${config.s3.prefix}` : 'postgres',
    },
    'worker started',
  );
  return {
    async close() {
      await reconciler.close();
      const graceMs = deps.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
      const rejudgingClosed = rejudging.close().catch(() => undefined);
      const { forced, running } = await workers.close(graceMs);
      // A batch is many small transactions, each safe to cut: its job is retried when its lock expires.
      await Promise.race([rejudgingClosed, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      if (forced) {
        logger.warn(
          { graceMs, running, redis: connection.status === 'ready' ? 'up' : 'unreachable' },
          'stopping without waiting longer: jobs in flight will be retried by another worker once their locks expire',
        );
      }
      if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
      else connection.disconnect();
      logger.info('worker stopped');
    },
  };
}

/** SBOMs go to S3 when the configuration names a bucket, whatever object store `store` was opened with. */
async function artifactStoreFor(config: ServiceConfig, store: Store): Promise<ArtifactStore> {
  if (config.s3 === null) return store.artifacts;
  const { bucket, prefix, endpoint, region, credentials } = config.s3;
  const objects = createS3ObjectStore({
    bucket,
    prefix,
    region,
    ...(endpoint && { endpoint }),
    // A copy: the configuration is frozen, and the AWS SDK marks the credentials object it is given.
    ...(credentials && { credentials: { ...credentials } }),
  });
  return (await openStore(store.db, { objects })).artifacts;
}
