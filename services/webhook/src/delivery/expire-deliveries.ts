import type { Store } from '@customs/store';
import { errorText, type WebhookLogger } from './outcomes.js';

export interface DeliveryExpiry {
  /** Stops the timer and waits for a pass under way. */
  close(): Promise<void>;
}

/**
 * Deletes deliveries older than the retention now and then every `intervalMs` (hourly by default).
 * Every webhook process runs it: the deletes are idempotent, and one pass is one cheap indexed query
 * per 5,000 rows.
 */
export function startDeliveryExpiry(options: {
  store: Pick<Store, 'deliveries'>;
  logger: WebhookLogger;
  retentionDays: number;
  intervalMs?: number;
}): DeliveryExpiry {
  const seconds = options.retentionDays * 86_400;
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = options.store.deliveries.expire(seconds).then(
      (deleted) => {
        if (deleted > 0)
          options.logger.info(
            { deleted, retentionDays: options.retentionDays },
            'expired webhook deliveries',
          );
      },
      (error: unknown) =>
        options.logger.warn(
          { error: errorText(error) },
          'could not expire webhook deliveries; trying again later',
        ),
    );
  };
  pass();
  const timer = setInterval(pass, options.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
