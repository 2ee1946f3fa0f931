import { createScanQueues, type QueueTuning, type ScanQueues } from '@customs/queue';
import { Redis } from 'ioredis';

export interface WebhookQueues {
  queues: ScanQueues;
  close(): Promise<void>;
}

/**
 * The producer side of the scan queues for the webhook. Unlike a worker's connection, commands fail at
 * once while Redis is unreachable (no offline queue, one retry), so a sender gets its 503 now and
 * retries, instead of every request waiting out the enqueue deadline.
 */
export function connectWebhookQueues(
  redisUrl: string,
  options: { tuning?: Partial<QueueTuning>; onError?: (error: Error) => void } = {},
): WebhookQueues {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // ioredis reconnects by itself; without a listener each failed attempt is an unhandled error.
  connection.on('error', options.onError ?? (() => undefined));
  const queues = createScanQueues(connection, options.tuning);
  return {
    queues,
    async close() {
      await queues.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}
