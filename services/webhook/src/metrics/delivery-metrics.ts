import { Counter, Registry } from 'prom-client';

/**
 * Why a delivery ended as it did, as a small fixed set: the metric's `reason` label (the delivery
 * log keeps the full sentence). Fixed so that no sender can grow the number of series.
 */
export type DeliveryReason =
  | 'queued'
  | 'already_queued'
  | 'not_scanned'
  | 'index_child'
  | 'event_invalid'
  | 'payload_invalid'
  | 'body_too_large'
  | 'body_unreadable'
  | 'registry_not_configured'
  | 'unauthenticated'
  | 'rate_limited'
  | 'unavailable'
  | 'error';

/** What the webhook counts itself (per process: Prometheus sums the processes). */
export interface DeliveryMetrics {
  /** One event of a delivery (or one refused request), counted once it is answered. */
  count(source: string, outcome: string, reason: DeliveryReason): void;
  /** The exposition text for `GET /metrics`. */
  render(): Promise<{ text: string; contentType: string }>;
}

export function createDeliveryMetrics(): DeliveryMetrics {
  const registry = new Registry();
  const deliveries = new Counter({
    name: 'customs_webhook_events_total',
    help: 'Webhook events (and refused requests) handled by this process, by source, outcome and reason.',
    labelNames: ['source', 'outcome', 'reason'] as const,
    registers: [registry],
  });
  return {
    count(source, outcome, reason) {
      deliveries.inc({ source, outcome, reason });
    },
    async render() {
      return { text: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
