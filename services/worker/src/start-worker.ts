import type { ServiceConfig } from '@customs/config';
import { createIndexer, type IndexerOptions } from '@customs/indexer';
import { createSecretScanner } from '@customs/secrets';
import {
  createNotificationQueue,
  createNotificationStore,
  DEFAULT_DELIVERY_TIMEOUT_MS,
  publishEvent,
  startNotificationWorker,
  type DeliveryTuning,
} from '@customs/notifications';
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
import { scanAttestations } from './scan-attestations.js';
import { createWorkerRejudger, startRejudging } from './rejudging.js';
import { verdictChangedEvent } from './verdict-changed-event.js';
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
  /** Outbound notifications this process sends (see @customs/notifications). */
  notifications?: Partial<NotificationTuning>;
  /** Where `attestations.signingKey: { env }` is looked up. Default: this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
  now?(): number;
  /** Called once per recorded verdict change (scan or data update), after it was committed. */
  onVerdictChange?(change: VerdictChange): Promise<void> | void;
}

export interface NotificationTuning {
  /** Deliveries sent at once by this process. */
  concurrency: number;
  /** How long a receiver has to answer one delivery. */
  timeoutMs: number;
  /** Retries of a delivery: how many, and the first backoff (it doubles). */
  delivery: Partial<DeliveryTuning>;
}

const DEFAULT_NOTIFICATIONS: NotificationTuning = {
  concurrency: 4,
  timeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS,
  delivery: {},
};

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
  const attestations = await scanAttestations(config, store, deps.env ?? process.env);
  const connection = createRedisConnection(deps.redisUrl, redisFailed);
  const notify = { ...DEFAULT_NOTIFICATIONS, ...deps.notifications };
  const notifications = createNotificationStore(store.db);
  const notificationQueue = createNotificationQueue(connection, notify.delivery);
  const publishScanFailed = (event: Parameters<typeof publishEvent>[1]) =>
    publishEvent({ store: notifications, queue: notificationQueue }, event);
  const rejudger = await createWorkerRejudger({
    config,
    store,
    logger,
    // Each verdict a data update changes is told to the subscribers, signed, like a final scan failure.
    onVerdictChange:
      deps.onVerdictChange ??
      (async (change) => {
        await publishEvent({ store: notifications, queue: notificationQueue }, verdictChangedEvent(change));
      }),
  });
  const handler = createScanHandler({
    config,
    store,
    artifacts: await artifactStoreFor(config, store),
    // Secrets are looked for by default, as `customs scan` does; indexerOptions may replace the scanner.
    indexer: createIndexer({ secrets: createSecretScanner(), ...deps.indexerOptions, cache: store.layers }),
    sboms: deps.sboms ?? reportSbomRenderers(),
    logger,
    ...(deps.registryClient && { registryClient: deps.registryClient }),
    // Harbor's per-scan robot credentials wait in Redis, never in the job (see @customs/queue).
    scanCredentials: createScanCredentialStore(connection),
    publishScanFailed,
    ...(attestations && { attestations }),
    // OpenVEX attached to the image (OCI referrers) is imported with each scan.
    vex: store.vex,
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
    onDeadLetter: (letter) => recordDeadLetter({ store, logger, publishScanFailed }, letter),
    onError: redisFailed,
  });
  // Started after the scan workers: they make every copy of `connection` end on a forced close.
  const deliveries = startNotificationWorker(connection, {
    store: notifications,
    now,
    timeoutMs: notify.timeoutMs,
    concurrency: notify.concurrency,
    logger: logger.child({ component: 'notifications' }),
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
      // Which key signs (its id, a hash of the public key), never the key.
      attestations: attestations
        ? { keyid: attestations.signer.keyid, sbom: attestations.sbomFormat }
        : 'off',
    },
    'worker started',
  );
  return {
    async close() {
      await reconciler.close();
      const graceMs = deps.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
      const deliveriesClosed = deliveries.close().catch(() => undefined);
      const rejudgingClosed = rejudging.close().catch(() => undefined);
      const { forced, running } = await workers.close(graceMs);
      // With Redis gone BullMQ's closes wait for it: the deliveries and a re-judging batch (many small
      // transactions, each safe to cut) get the same grace, then are left to their jobs' lock expiry.
      await withinGrace(Promise.all([deliveriesClosed, rejudgingClosed, notificationQueue.close()]), graceMs);
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

/** Waits for `work` (its failure ignored) at most `graceMs`. */
async function withinGrace(work: Promise<unknown>, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}
