import type { IncomingHttpHeaders } from 'node:http';
import { errorDocument } from '@customs/errors';
import type { DeliveryReason } from '../metrics/delivery-metrics.js';
import type { WebhookSource } from '../receivers/receiver.js';
import { recordDelivery, truncate, type ErrorResponse, type RecordDeps } from './outcomes.js';
import type { RefusalGate } from './refusal-gate.js';

/** One answer for every refusal: the sender is not told which check failed, the log says. */
export const UNAUTHORIZED: ErrorResponse = {
  status: 401,
  body: errorDocument(
    'UNAUTHENTICATED',
    'the delivery was refused',
    "check the sender's secret or signature; the webhook log says which check failed",
  ),
};

const RATE_LIMITED: ErrorResponse = {
  status: 429,
  body: errorDocument(
    'WEBHOOK_RATE_LIMITED',
    'too many refused deliveries from this address; try again in a minute',
    "check the sender's secret or signature",
  ),
};

export interface RefusedRequest {
  source: WebhookSource;
  /** Why (logged and stored, never told to the caller). */
  reason: string;
  kind: Extract<DeliveryReason, 'unauthenticated' | 'body_too_large' | 'body_unreadable'>;
  headers: IncomingHttpHeaders;
  remoteAddress: string | null;
  /** Bytes read, or the Content-Length the caller claimed when nothing was read. */
  bytes: number | null;
  /** Default: 401. */
  answer?: ErrorResponse;
}

/** Longest header value kept from a refused request: anyone can send one, so keep little. */
const MAX_HEADER = 200;

/**
 * A request that did not prove who sent it. Within the address's allowance for the minute a small,
 * bounded summary is stored (never the body: anyone can send one); past it, 429 and nothing stored,
 * so forged requests cannot fill the delivery log. Either way the metric counts it.
 */
export async function refuse(
  deps: RecordDeps & { gate: RefusalGate },
  refused: RefusedRequest,
): Promise<ErrorResponse> {
  if (!deps.gate.admit(refused.remoteAddress)) {
    deps.metrics.count(refused.source, 'rejected', 'rate_limited');
    return RATE_LIMITED;
  }
  deps.logger.warn(
    { source: refused.source, reason: refused.reason, remoteAddress: refused.remoteAddress },
    'webhook delivery refused',
  );
  const header = (name: string) => {
    const value = refused.headers[name];
    return truncate(Array.isArray(value) ? value.join(', ') : (value ?? null), MAX_HEADER);
  };
  await recordDelivery(
    deps,
    {
      source: refused.source,
      deliveryId: null,
      outcome: 'rejected',
      reason: refused.reason,
      payload: {
        refused: {
          bytes: refused.bytes,
          contentType: header('content-type'),
          userAgent: header('user-agent'),
          remoteAddress: refused.remoteAddress,
        },
      },
    },
    refused.kind,
  );
  return refused.answer ?? UNAUTHORIZED;
}
