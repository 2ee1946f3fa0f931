import { QueueUnavailableError } from '@customs/queue';

/**
 * The work's result, or QUEUE_UNAVAILABLE once `ms` have passed. Redis commands wait for a reconnect
 * rather than fail (BullMQ needs that), so a caller that is waiting needs a deadline on every enqueue.
 */
export async function enqueueWithin<T>(work: Promise<T>, ms: number, digest: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueueUnavailableError(`queue a scan of ${digest} within ${ms} ms`, null)),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
