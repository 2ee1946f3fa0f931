import { Queue, type ConnectionOptions } from 'bullmq';

export const NOTIFY_QUEUE = 'customs-notify';
export const DELIVER_JOB = 'deliver';

/** One event to one subscription. Ids only: the body is rendered and signed when it is sent. */
export interface DeliveryJob {
  eventId: string;
  subscriptionId: string;
}

export interface DeliveryTuning {
  /** Tries per delivery, the first included. */
  attempts: number;
  /** First retry delay; doubles each time. */
  backoffMs: number;
}

/** 8 tries over about 4 minutes: a receiver restarting or briefly down still gets the event. */
export const DEFAULT_DELIVERY_TUNING: DeliveryTuning = { attempts: 8, backoffMs: 2_000 };

export interface NotificationQueue {
  enqueue(jobs: readonly DeliveryJob[]): Promise<void>;
  close(): Promise<void>;
}

export function createNotificationQueue(
  connection: ConnectionOptions,
  tuning: Partial<DeliveryTuning> = {},
): NotificationQueue {
  const { attempts, backoffMs } = { ...DEFAULT_DELIVERY_TUNING, ...tuning };
  const queue = new Queue(NOTIFY_QUEUE, {
    connection,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  // The connection's owner hears and logs its errors; without a listener BullMQ prints each one.
  queue.on('error', () => undefined);
  return {
    async enqueue(jobs) {
      if (jobs.length === 0) return;
      // The id makes a re-published pair one delivery (BullMQ ids may not contain ':').
      await queue.addBulk(
        jobs.map((job) => ({
          name: DELIVER_JOB,
          data: job,
          opts: { jobId: `${job.eventId}-${job.subscriptionId}` },
        })),
      );
    },
    close: () => queue.close(),
  };
}

/** A job's data as the worker reads it; anything else is not a delivery job of this version. */
export function parseDeliveryJob(data: unknown): DeliveryJob | null {
  if (typeof data !== 'object' || data === null) return null;
  if (!('eventId' in data) || !('subscriptionId' in data)) return null;
  const { eventId, subscriptionId } = data;
  return typeof eventId === 'string' && typeof subscriptionId === 'string'
    ? { eventId, subscriptionId }
    : null;
}
