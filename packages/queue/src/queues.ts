import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { QueueUnavailableError } from './errors.js';
import { parseScanImageJob, SCAN_IMAGE_JOB, scanJobId, type ScanImageJob } from './jobs/scan-image.js';

/** Scans triggered by a push: what users wait for. */
export const SCAN_QUEUE = 'customs-scan';
/** Bulk re-scans: a separate, rate-limited queue, so a "rescan everything" never delays a push. */
export const RESCAN_QUEUE = 'customs-rescan';

export interface QueueTuning {
  /** Attempts before a job becomes a dead letter. */
  attempts: number;
  /** First retry delay; doubles each time. */
  backoffMs: number;
  /** How long finished jobs (and so their ids, for de-duplication) are kept. */
  keepCompletedSeconds: number;
}

export const DEFAULT_TUNING: QueueTuning = { attempts: 5, backoffMs: 2_000, keepCompletedSeconds: 24 * 3600 };

export interface Enqueued {
  jobId: string;
  added: boolean;
  finished?: boolean;
}

export interface ScanQueues {
  /**
   * Queues a push-triggered scan; resolves once Redis has the job. `added` is false for a duplicate;
   * `finished` says the job holding the id will not run again (completed or failed).
   */
  enqueueScan(job: ScanImageJob): Promise<Enqueued>;
  enqueueRescan(job: ScanImageJob): Promise<Enqueued>;
  depth(): Promise<Record<'scan' | 'rescan', Record<string, number>>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createScanQueues(
  connection: ConnectionOptions,
  tuning: Partial<QueueTuning> = {},
): ScanQueues {
  const settings = { ...DEFAULT_TUNING, ...tuning };
  const options: JobsOptions = {
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs },
    removeOnComplete: { age: settings.keepCompletedSeconds },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
  const scan = new Queue(SCAN_QUEUE, { connection, defaultJobOptions: options });
  const rescan = new Queue(RESCAN_QUEUE, { connection, defaultJobOptions: options });
  // Each queue repeats its connection's errors, which the connection's owner hears and logs; without
  // a listener BullMQ prints every one as a raw stack trace on stderr.
  for (const queue of [scan, rescan]) queue.on('error', () => undefined);

  async function add(queue: Queue, job: ScanImageJob, jobId: string): Promise<Enqueued> {
    const data = parseScanImageJob(job);
    try {
      const existing = await queue.getJob(jobId);
      const added = await queue.add(SCAN_IMAGE_JOB, data, { jobId });
      const state = existing ? await existing.getState() : null;
      return {
        jobId,
        added: !existing && added.data.scanId === data.scanId,
        finished: state === 'completed' || state === 'failed',
      };
    } catch (error) {
      throw new QueueUnavailableError(`queue a scan of ${job.digest}`, error);
    }
  }

  return {
    enqueueScan: (job) => add(scan, job, scanJobId(job.digest)),
    // A rescan is asked for on purpose: its id is the scan's, so it is never swallowed by an old push.
    enqueueRescan: (job) => add(rescan, job, `rescan-${job.scanId}`),
    async depth() {
      const states = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;
      return { scan: await scan.getJobCounts(...states), rescan: await rescan.getJobCounts(...states) };
    },
    async ping() {
      // A round trip that touches Redis: readiness probes must fail when Redis is gone.
      await scan.getJobCounts('waiting');
    },
    async close() {
      await Promise.all([scan.close(), rescan.close()]);
    },
  };
}
