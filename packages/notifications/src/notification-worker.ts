import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { deliver, type DeliverDeps } from './deliver.js';
import { NOTIFY_QUEUE, parseDeliveryJob } from './notification-queue.js';

export interface NotificationWorkerOptions extends DeliverDeps {
  logger: Logger;
  /** Deliveries sent at once by this process. */
  concurrency: number;
}

export interface NotificationWorker {
  close(): Promise<void>;
}

/**
 * Sends queued deliveries from this process; any number of worker processes may do the same. The
 * log names subscription, event and attempt, never the secret or the URL's path.
 */
export function startNotificationWorker(
  connection: Redis,
  options: NotificationWorkerOptions,
): NotificationWorker {
  const { logger } = options;
  const worker = new Worker(
    NOTIFY_QUEUE,
    async (job) => {
      const delivery = parseDeliveryJob(job.data);
      if (delivery === null) {
        logger.error({ jobId: job.id }, 'notification job of an unknown shape dropped');
        return;
      }
      const outcome = await deliver(options, delivery, job.attemptsMade + 1);
      if (outcome === 'gone') logger.info(delivery, 'subscription or event deleted; delivery dropped');
    },
    { connection, concurrency: options.concurrency },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger[final ? 'error' : 'warn'](
      { ...parseDeliveryJob(job.data), attempt: job.attemptsMade, error: error.message },
      final ? 'notification not delivered; no more attempts' : 'notification not delivered; will retry',
    );
  });
  // The connection's owner logs Redis failures.
  worker.on('error', () => undefined);
  return { close: () => worker.close() };
}
