import type { ServiceConfig } from '@customs/config';
import { createRedisConnection, createRejudgeQueue, reportRedisFailures } from '@customs/queue';
import type { Store } from '@customs/store';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { runScheduledUpdate, type UpdateRunOutcome } from './scheduled-update.js';

/** The scheduled update's own queue: one repeatable job, taken by one updater at a time. */
export const UPDATE_QUEUE = 'customs-update';
const SCHEDULER_ID = 'customs-update-every';
const UPDATE_JOB = 'update-vulnerability-data';

export interface UpdaterDeps {
  config: ServiceConfig;
  store: Store;
  redisUrl: string;
  logger: Logger;
}

/** What a run did, as the job's return value keeps it. */
export type UpdateRunSummary =
  | { status: 'skipped'; reason: string }
  | { status: 'updated'; dataVersion: number; changed: number; rejudgeDigests: number; rejudgeJobs: number };

export interface RunningUpdater {
  /** Queues one update now (besides the schedule) and waits for its outcome; a failed update rejects. */
  runNow(): Promise<UpdateRunSummary>;
  /** Stops taking update jobs and waits for a running one; the schedule stays for the other updaters. */
  close(): Promise<void>;
}

/**
 * Runs the vulnerability-data update every `config.updater.intervalMinutes`, whatever the number of
 * updater processes: the schedule is one BullMQ job scheduler (upserted by each, idempotent), each
 * process takes update jobs one at a time, and the update itself runs under a PostgreSQL advisory
 * lock, so two never run at once even if BullMQ's job lock lapsed. A failed update is logged and
 * kept as a failed job; the previous data version keeps serving until the next run.
 */
export async function startUpdater(deps: UpdaterDeps): Promise<RunningUpdater> {
  const { config, store, logger } = deps;
  const redisFailed = reportRedisFailures((error, failures) =>
    logger.warn({ error: error.message, failures }, 'Redis unavailable; retrying'),
  );
  const connection = createRedisConnection(deps.redisUrl, redisFailed);
  const rejudge = createRejudgeQueue(connection);
  const queue = new Queue(UPDATE_QUEUE, { connection });
  queue.on('error', () => undefined);
  const stopping = new AbortController();
  const intervalMs = config.updater.intervalMinutes * 60_000;
  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { every: intervalMs },
    { name: UPDATE_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(
    UPDATE_QUEUE,
    async (job): Promise<UpdateRunSummary> => {
      const log = logger.child({ jobId: job.id });
      try {
        return summary(
          await runScheduledUpdate({
            config,
            db: store.db,
            images: store.judgedImages,
            rejudge,
            logger: log,
            signal: stopping.signal,
          }),
        );
      } catch (error) {
        log.error(
          { error: error instanceof Error ? error.message : String(error) },
          'update failed; the previous vulnerability data keeps serving',
        );
        throw error;
      }
    },
    { connection, concurrency: 1, lockDuration: config.updater.lockSeconds * 1000 },
  );
  worker.on('error', redisFailed);
  // Its blocking reads need a connection of their own, which BullMQ leaves to us to close.
  const eventsConnection = connection.duplicate();
  const events = new QueueEvents(UPDATE_QUEUE, { connection: eventsConnection });
  events.on('error', () => undefined);
  logger.info({ intervalMinutes: config.updater.intervalMinutes, queue: UPDATE_QUEUE }, 'updater started');
  return {
    async runNow() {
      await events.waitUntilReady();
      const job = await queue.add(UPDATE_JOB, {}, { removeOnComplete: 100, removeOnFail: 100 });
      return (await job.waitUntilFinished(events)) as UpdateRunSummary;
    },
    async close() {
      const running = worker.close();
      stopping.abort();
      await running;
      await events.close();
      eventsConnection.disconnect();
      await queue.close();
      await rejudge.close();
      await connection.quit().catch(() => connection.disconnect());
      logger.info('updater stopped');
    },
  };
}

function summary(outcome: UpdateRunOutcome): UpdateRunSummary {
  if (outcome.status === 'skipped') return outcome;
  return {
    status: 'updated',
    dataVersion: outcome.report.version.version,
    changed: outcome.report.version.changed,
    rejudgeDigests: outcome.rejudge.digests,
    rejudgeJobs: outcome.rejudge.jobs,
  };
}
