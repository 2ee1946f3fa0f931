import { CustomsError, errorDocument, isCustomsError, type ErrorDocument } from '@customs/errors';
import type { Delivery, Store } from '@customs/store';
import type { Logger } from 'pino';
import type { DeliveryMetrics, DeliveryReason } from '../metrics/delivery-metrics.js';

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

/** Anything the webhook did not expect outside a delivery's events; the log has the details. */
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
 * later (Redis or PostgreSQL back, the registry reachable) must not be 2xx; null for a failure that
 * will happen again however often the delivery is sent (the caller acknowledges and records it).
 */
export function failureResponse(error: unknown): ErrorResponse | null {
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
  // A bug, or data we cannot handle: sending it again gets the same, and Distribution would hold
  // every later event of the registry behind it. The delivery log and the error log keep it.
  return null;
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

/** What recording a delivery needs: the store, the log, the metric, and how long PostgreSQL may take. */
export interface RecordDeps {
  store: Pick<Store, 'deliveries'>;
  logger: WebhookLogger;
  metrics: Pick<DeliveryMetrics, 'count'>;
  /** Past this a row is given up (logged): the answer to the sender must not wait for the audit trail. */
  answerWithinMs: number;
}

/**
 * Stores a delivery and counts it. A sender id seen before (a GitHub redelivery, a re-sent
 * Distribution event) is a replay: it is stored again without the id, saying so. A failing or slow
 * store is logged, not thrown: the answer to the sender depends on the queue, not on the audit trail.
 */
export async function recordDelivery(
  deps: RecordDeps,
  delivery: Delivery,
  reason: DeliveryReason,
): Promise<{ replay: boolean }> {
  deps.metrics.count(delivery.source, delivery.outcome, reason);
  const bounded = { ...delivery, reason: truncate(delivery.reason ?? null, MAX_REASON) };
  try {
    const { fresh } = await within(deps.store.deliveries.record(bounded), deps.answerWithinMs);
    if (fresh) return { replay: false };
    await within(
      deps.store.deliveries.record({
        ...bounded,
        deliveryId: null,
        reason: truncate(
          `replay of delivery ${delivery.deliveryId}${delivery.reason ? `; ${delivery.reason}` : ''}`,
          MAX_REASON,
        ),
      }),
      deps.answerWithinMs,
    );
    return { replay: true };
  } catch (error) {
    deps.logger.error(
      { source: delivery.source, outcome: delivery.outcome, error: errorText(error) },
      'could not store a webhook delivery',
    );
    return { replay: false };
  }
}

/** Longest reason stored: reasons quote what senders sent (names, tags), which they can make long. */
const MAX_REASON = 500;

/** `text` cut to `max` characters, saying so. */
export function truncate(text: string | null, max: number): string | null {
  if (text === null || text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** The work, or a rejection once `ms` have passed (the work itself goes on). */
export async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** PostgreSQL or Redis did not answer in time: the delivery is not known to be done. */
export class DeadlineError extends CustomsError {
  constructor(ms: number) {
    super(
      'QUEUE_UNAVAILABLE',
      `the delivery was not done within ${ms} ms: PostgreSQL or Redis did not answer`,
      {
        hint: 'check that PostgreSQL and Redis are running; webhook.answerWithinMs sets the deadline',
      },
    );
  }
}

export function errorText(error: unknown): string {
  if (isCustomsError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
