import { errorDocument, isCustomsError, type ErrorDocument } from '@customs/errors';
import type { Delivery, Store } from '@customs/store';
import type { Logger } from 'pino';

/** The logger calls the webhook makes: a pino logger, or anything with the same three methods. */
export type WebhookLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** What the sender is told: a tally of what was done, or an error in the API's error shape. */
export interface DeliveryResponse {
  status: number;
  body: Record<string, unknown> | ErrorDocument;
}

/** An answer that is an error: the webhook decides its status here, at its edge. */
export interface ErrorResponse extends DeliveryResponse {
  body: ErrorDocument;
}

/** Anything the webhook did not expect; the log has the details, the sender gets none. */
export const INTERNAL_ERROR: ErrorResponse = {
  status: 500,
  body: errorDocument('INTERNAL', 'the delivery failed unexpectedly; the webhook log has the details'),
};

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
export function failureResponse(error: unknown): ErrorResponse {
  if (isCustomsError(error, 'QUEUE_UNAVAILABLE')) {
    return {
      status: 503,
      body: errorDocument(
        'QUEUE_UNAVAILABLE',
        'the scan could not be queued',
        'send the delivery again later',
      ),
    };
  }
  if (isCustomsError(error, 'DB_UNAVAILABLE') || isConnectionError(error)) {
    return {
      status: 503,
      body: errorDocument(
        'DB_UNAVAILABLE',
        'the scan could not be recorded',
        'send the delivery again later',
      ),
    };
  }
  // The sender retries a 502: the registry may be back, or the tag pushed again, by then.
  if (isCustomsError(error, 'TAG_RESOLUTION_FAILED') || isCustomsError(error, 'MANIFEST_NOT_FOUND')) {
    return {
      status: 502,
      body: errorDocument(
        'TAG_RESOLUTION_FAILED',
        'the pushed tag could not be resolved to a digest',
        'the webhook log says why; send the delivery again once the registry answers',
      ),
    };
  }
  return INTERNAL_ERROR;
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
