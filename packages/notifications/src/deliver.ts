import { DeliveryFailedError } from './errors.js';
import type { DeliveryJob } from './notification-queue.js';
import type { NotificationStore } from './notification-store.js';
import { renderBody } from './payloads.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signing.js';

export interface DeliverDeps {
  store: NotificationStore;
  /** Wall clock in milliseconds, for the signed timestamp. */
  now(): number;
  /** How long a receiver has to answer. */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

export type DeliveryOutcome = 'delivered' | 'gone';

/**
 * Sends one event to one subscription, signed now, and logs the attempt (status or error, duration).
 * A subscription or event that no longer exists is `gone`: nothing to send. Anything but a 2xx
 * answer throws, so BullMQ tries again after its backoff.
 */
export async function deliver(
  deps: DeliverDeps,
  job: DeliveryJob,
  attempt: number,
): Promise<DeliveryOutcome> {
  const [target, event] = await Promise.all([
    deps.store.subscriptions.forDelivery(job.subscriptionId),
    deps.store.events.get(job.eventId),
  ]);
  if (target === null || event === null) return 'gone';
  const { subscription, secret } = target;
  const body = renderBody(subscription.format, event);
  const started = performance.now();
  const answer = await post(
    subscription.url,
    body,
    {
      'content-type': 'application/json',
      'user-agent': 'Customs-Notifications/1',
      [SIGNATURE_HEADER]: signatureHeader(secret, body, Math.floor(deps.now() / 1000)),
      [EVENT_ID_HEADER]: event.id,
    },
    deps.timeoutMs,
  );
  await deps.store.deliveries.record({
    subscriptionId: subscription.id,
    eventId: event.id,
    attempt,
    ...answer,
    durationMs: performance.now() - started,
  });
  if (answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300) return 'delivered';
  // The origin only: a path can be a credential itself (Slack's webhook URLs are).
  throw new DeliveryFailedError(
    new URL(subscription.url).origin,
    answer.error ?? `answered ${answer.statusCode}`,
  );
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ statusCode: number | null; error: string | null }> {
  try {
    // Redirects are not followed: a subscription delivers to the URL an admin gave, nowhere else.
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { statusCode: response.status, error: null };
  } catch (error) {
    return { statusCode: null, error: describeFetchError(error) };
  }
}

/** fetch says "fetch failed" and puts the reason (ECONNREFUSED, a timeout) in its cause. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer in time';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
