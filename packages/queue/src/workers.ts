import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseScanImageJob, type ScanImageJob } from './jobs/scan-image.js';
import { RESCAN_QUEUE, SCAN_QUEUE } from './queues.js';

export interface ScanHandlerContext {
  queue: 'scan' | 'rescan';
  jobId: string;
  /** 1 for the first run of the job. */
  attempt: number;
  /** Whether this is the last attempt: a failure now makes a dead letter. */
  lastAttempt: boolean;
  signal: AbortSignal;
}

export type ScanHandler = (job: ScanImageJob, context: ScanHandlerContext) => Promise<void>;

export interface DeadLetterInfo {
  queue: 'scan' | 'rescan';
  jobId: string;
  data: unknown;
  error: Error;
  attempts: number;
}

export interface ScanWorkerOptions {
  /** Push scans run at once per process. */
  concurrency: number;
  /** Bulk rescans: at most `max` starts per `durationMs`, one at a time, per process. */
  rescanRate: { max: number; durationMs: number };
  /** How long a job stays locked to a worker without renewal; a killed worker's job is retried after it. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose worker died. */
  stalledIntervalMs?: number;
  onDeadLetter?(letter: DeadLetterInfo): Promise<void>;
  onError?(error: Error): void;
}

export interface ScanWorkers {
  /**
   * Stops taking jobs and waits up to `graceMs` (default: as long as it takes) for the running ones.
   * Past it the running jobs are cancelled (their signal aborts) and the workers' connections stop
   * reconnecting, so a close ends even while Redis is down; BullMQ gives a job whose run did not
   * reach Redis to another worker once its lock expires. Says whether it had to, and how many jobs
   * were running then.
   */
  close(graceMs?: number): Promise<{ forced: boolean; running: number }>;
}

/** ioredis's own reconnect delays, for a connection made without a retry strategy. */
const DEFAULT_RETRY = (times: number): number => Math.min(times * 50, 2_000);

/**
 * Consumes both queues in this process; any number of processes may do the same against one Redis.
 * The workers use `connection` and copies of it (BullMQ duplicates it for its blocking reads); a
 * close that has to give up ends them all.
 */
export function startScanWorkers(
  connection: Redis,
  handler: ScanHandler,
  options: ScanWorkerOptions,
): ScanWorkers {
  // BullMQ's close waits for Redis: for the jobs to finish and for commands queued while Redis is
  // away. A client whose retry strategy gives up ends at its next attempt and fails those commands,
  // so the close goes on; duplicates copy the strategy, and are kept to be ended too.
  let givingUp = false;
  const retry = connection.options.retryStrategy ?? DEFAULT_RETRY;
  connection.options.retryStrategy = (times) => (givingUp ? null : retry(times));
  const clients: Redis[] = [connection];
  const duplicate = connection.duplicate.bind(connection);
  connection.duplicate = (override) => {
    const copy = duplicate(override);
    clients.push(copy);
    return copy;
  };
  let running = 0;
  const shared = {
    connection,
    ...(options.lockDurationMs && { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs && { stalledInterval: options.stalledIntervalMs }),
  };
  const processor = (queue: 'scan' | 'rescan') => async (job: Job, _token?: string, signal?: AbortSignal) => {
    const data = parseScanImageJob(job.data, job.id);
    const attempts = job.opts.attempts ?? 1;
    running += 1;
    try {
      await handler(data, {
        queue,
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        lastAttempt: job.attemptsMade + 1 >= attempts,
        signal: signal ?? new AbortController().signal,
      });
    } finally {
      running -= 1;
    }
  };
  const workers = [
    new Worker(SCAN_QUEUE, processor('scan'), { ...shared, concurrency: options.concurrency }),
    new Worker(RESCAN_QUEUE, processor('rescan'), {
      ...shared,
      concurrency: 1,
      limiter: { max: options.rescanRate.max, duration: options.rescanRate.durationMs },
    }),
  ];
  for (const [index, worker] of workers.entries()) {
    const queue = index === 0 ? 'scan' : 'rescan';
    worker.on('failed', (job, error) => {
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      void options
        .onDeadLetter?.({ queue, jobId: job.id ?? '', data: job.data, error, attempts: job.attemptsMade })
        .catch((failure: unknown) =>
          options.onError?.(failure instanceof Error ? failure : new Error(String(failure))),
        );
    });
    worker.on('error', (error) => options.onError?.(error));
  }
  return {
    async close(graceMs = Infinity) {
      const closed = Promise.all(workers.map((worker) => worker.close()));
      if (await settlesWithin(closed, graceMs)) return { forced: false, running: 0 };
      const stillRunning = running;
      givingUp = true;
      for (const worker of workers) worker.cancelAllJobs('the worker is stopping');
      for (const client of clients) endForGood(client);
      await settlesWithin(closed, graceMs);
      return { forced: true, running: stillRunning };
    },
  };
}

/** Whether `work` settled within `ms`; a rejection is passed on. */
function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms === Infinity) return work.then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([work.then(() => true), late]).finally(() => clearTimeout(timer));
}

/**
 * Ends a client and fails the commands it holds. Between two reconnect attempts ioredis's
 * disconnect() would only cancel the next attempt and leave them waiting forever (BullMQ #4585), so
 * such a client is made to try now instead: with the retry strategy giving up, a failed attempt
 * ends it; a successful one means Redis is back, and the close can finish normally.
 */
function endForGood(client: Redis): void {
  if (client.status === 'end') return;
  if (client.status === 'reconnecting') client.connect().catch(() => undefined);
  else client.disconnect();
}
