import { Worker, type ConnectionOptions, type Job } from 'bullmq';
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
  close(): Promise<void>;
}

/** Consumes both queues in this process; any number of processes may do the same against one Redis. */
export function startScanWorkers(
  connection: ConnectionOptions,
  handler: ScanHandler,
  options: ScanWorkerOptions,
): ScanWorkers {
  const shared = {
    connection,
    ...(options.lockDurationMs && { lockDuration: options.lockDurationMs }),
    ...(options.stalledIntervalMs && { stalledInterval: options.stalledIntervalMs }),
  };
  const processor = (queue: 'scan' | 'rescan') => async (job: Job, _token?: string, signal?: AbortSignal) => {
    const data = parseScanImageJob(job.data, job.id);
    const attempts = job.opts.attempts ?? 1;
    await handler(data, {
      queue,
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
      lastAttempt: job.attemptsMade + 1 >= attempts,
      signal: signal ?? new AbortController().signal,
    });
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
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
