import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { JobPayloadInvalidError, QueueUnavailableError } from './errors.js';

/**
 * Re-judging after a vulnerability-data update: a lane of its own, taken by workers at low
 * concurrency, so judging ten thousand images again never holds up a pushed image's scan.
 */
export const REJUDGE_QUEUE = 'customs-rejudge';
export const REJUDGE_JOB = 'rejudge-images';

const rejudgeSchema = z.object({
  v: z.literal(1),
  digests: z.array(z.string().regex(/^sha256:[a-f0-9]{64}$/)).min(1),
  /** The data version (vulndb's counter) whose update asked for this, for logs. */
  dataVersion: z.number().int().nonnegative(),
});

/** Judge these digests again with the data as it is now and record what changed. */
export type RejudgeJob = z.infer<typeof rejudgeSchema>;

export function parseRejudgeJob(data: unknown, jobId?: string): RejudgeJob {
  const result = rejudgeSchema.safeParse(data);
  if (!result.success)
    throw new JobPayloadInvalidError(
      REJUDGE_JOB,
      jobId,
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  return result.data;
}

export interface RejudgeQueue {
  /** Queues the digests in batches of `batchSize`; resolves with the number of jobs once Redis has them. */
  enqueue(digests: readonly string[], dataVersion: number, batchSize: number): Promise<number>;
  close(): Promise<void>;
}

export function createRejudgeQueue(connection: ConnectionOptions): RejudgeQueue {
  const queue = new Queue(REJUDGE_QUEUE, {
    connection,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  // The connection's owner hears and logs its errors; without a listener BullMQ prints stack traces.
  queue.on('error', () => undefined);
  return {
    async enqueue(digests, dataVersion, batchSize) {
      const jobs = [];
      for (let start = 0; start < digests.length; start += batchSize) {
        const data = parseRejudgeJob({ v: 1, digests: digests.slice(start, start + batchSize), dataVersion });
        jobs.push({ name: REJUDGE_JOB, data });
      }
      try {
        await queue.addBulk(jobs);
      } catch (error) {
        throw new QueueUnavailableError(`queue re-judging of ${digests.length} images`, error);
      }
      return jobs.length;
    },
    close: () => queue.close(),
  };
}

export interface RejudgeWorkerOptions {
  /** Batches judged at once per process; 1 keeps re-judging a background trickle. */
  concurrency: number;
  lockDurationMs?: number;
  onError?(error: Error): void;
}

/** Consumes the re-judging lane in this process; any number of processes may do the same. */
export function startRejudgeWorker(
  connection: Redis,
  handler: (job: RejudgeJob, jobId: string) => Promise<void>,
  options: RejudgeWorkerOptions,
): { close(): Promise<void> } {
  const worker = new Worker(
    REJUDGE_QUEUE,
    async (job) => handler(parseRejudgeJob(job.data, job.id), job.id ?? ''),
    {
      connection,
      concurrency: options.concurrency,
      ...(options.lockDurationMs && { lockDuration: options.lockDurationMs }),
    },
  );
  worker.on('error', (error) => options.onError?.(error));
  return { close: () => worker.close() };
}
