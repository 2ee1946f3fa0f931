import { isCustomsError } from '@customs/errors';
import type { Delivery, Store } from '@customs/store';
import type { Logger } from 'pino';

/** The logger calls the webhook makes: a pino logger, or anything with the same three methods. */
export type WebhookLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** What the sender is told. */
export interface DeliveryResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Driver errors that mean "PostgreSQL is not there right now" rather than a bug. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '08001',
  '08006',
]);

/**
 * How a failure after authentication is answered. A sender retries on non-2xx, so what may succeed
 * later (Redis or PostgreSQL back, the registry reachable) must not be 2xx.
 */
export function failureResponse(error: unknown): DeliveryResponse {
  if (isCustomsError(error, 'QUEUE_UNAVAILABLE')) {
    return {
      status: 503,
      body: { error: 'queue unavailable', reason: 'the scan could not be queued; retry later' },
    };
  }
  if (isCustomsError(error, 'DB_UNAVAILABLE') || isConnectionError(error)) {
    return {
      status: 503,
      body: { error: 'database unavailable', reason: 'the scan could not be recorded; retry later' },
    };
  }
  // The sender retries a 502: the registry may be back, or the tag pushed again, by then.
  if (isCustomsError(error, 'TAG_RESOLUTION_FAILED') || isCustomsError(error, 'MANIFEST_NOT_FOUND')) {
    return {
      status: 502,
      body: { error: 'registry error', reason: 'the pushed tag could not be resolved to a digest' },
    };
  }
  return { status: 500, body: { error: 'internal error' } };
}

function isConnectionError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    CONNECTION_ERRORS.has(error.code)
  );
}

/**
 * Stores a delivery. A sender id seen before (a GitHub redelivery, a re-sent Distribution event) is
 * a replay: it is stored again without the id, saying so. A failing store is logged, not thrown: the
 * answer to the sender depends on the queue, not on the audit trail.
 */
export async function recordDelivery(
  store: Pick<Store, 'deliveries'>,
  logger: WebhookLogger,
  delivery: Delivery,
): Promise<{ replay: boolean }> {
  try {
    const { fresh } = await store.deliveries.record(delivery);
    if (fresh) return { replay: false };
    await store.deliveries.record({
      ...delivery,
      deliveryId: null,
      reason: `replay of delivery ${delivery.deliveryId}${delivery.reason ? `; ${delivery.reason}` : ''}`,
    });
    return { replay: true };
  } catch (error) {
    logger.error(
      { source: delivery.source, outcome: delivery.outcome, error: errorText(error) },
      'could not store a webhook delivery',
    );
    return { replay: false };
  }
}

export function errorText(error: unknown): string {
  if (isCustomsError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
