import type { IncomingHttpHeaders } from 'node:http';
import type { ServiceConfig } from '@customs/config';

export type WebhookSource = 'distribution' | 'harbor' | 'github' | 'dockerhub' | 'quay' | 'ecr' | 'acr';

/** One HTTP request as a receiver sees it: the exact bytes (signatures cover them), headers, route params. */
export interface IncomingDelivery {
  headers: IncomingHttpHeaders;
  params: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

/** What a payload says happened, in one shape whatever the registry. */
export interface NormalisedEvent {
  /**
   * The registry as the payload (or the source's configuration) names it. A claim: it is checked
   * against the configured registries before anything uses it.
   */
  registry: string;
  repository: string;
  /** Null when the sender does not say (Docker Hub, Quay): resolved from the tag by us. */
  digest: string | null;
  tag: string | null;
  mediaType: string | null;
  /** The sender's verb: `push`, `pull`, `delete`, `PUSH_ARTIFACT`, … */
  action: string;
}

interface Received {
  /** The sender's id for this event (X-GitHub-Delivery, a Distribution event id, a CloudEvents id). */
  deliveryId: string | null;
  /** The part of the body this event came from, as stored with the delivery (never a secret). */
  payload: unknown;
}

/** A push to scan. */
export interface ScanEvent extends Received {
  kind: 'scan';
  event: NormalisedEvent;
}

/** Understood, and deliberately not scanned (a blob push, a pull, a delete, a non-container package). */
export interface IgnoredEvent extends Received {
  kind: 'ignored';
  reason: string;
  event: Partial<NormalisedEvent>;
}

/** In the sender's format, but unusable (no digest, a repository name no registry accepts). */
export interface InvalidEvent extends Received {
  kind: 'invalid';
  reason: string;
}

export type ReceivedEvent = ScanEvent | IgnoredEvent | InvalidEvent;

/** Authentic, or why not (logged, never told to the caller). */
export type AuthCheck = { ok: true } | { ok: false; reason: string };

/** A receiver with its secrets: what serves one route. */
export interface ActiveReceiver {
  /**
   * `headers`: authenticate() reads only headers and route params, so the body is read only once the
   * sender is known (and then up to the hard cap); `body`: it checks a signature of the body bytes
   * (GitHub), read first up to `webhook.signedBodyLimitBytes`.
   */
  authenticatesBy: 'headers' | 'body';
  authenticate(delivery: IncomingDelivery): AuthCheck;
  /**
   * The one registry this source's secret speaks for (from the configuration); null when the events
   * may name any configured registry (Distribution, Harbor, ACR: the registry is the sender).
   */
  registry: string | null;
  /** Throws WebhookPayloadError when the body is not this sender's format at all. */
  parse(body: unknown, delivery: IncomingDelivery): ReceivedEvent[];
}

/** One registry's webhook: its route, and how it is turned on from the configuration. */
export interface Receiver {
  source: WebhookSource;
  /** Express route path, e.g. `/webhooks/distribution`, `/webhooks/quay/:secret`. */
  path: string;
  /** Null when the configuration has no section for this source: its route is then not served. */
  activate(webhooks: ServiceConfig['webhooks']): ActiveReceiver | null;
}

export function scan(event: NormalisedEvent, deliveryId: string | null, payload: unknown): ScanEvent {
  return { kind: 'scan', event, deliveryId, payload };
}

export function ignored(
  reason: string,
  event: Partial<NormalisedEvent>,
  deliveryId: string | null,
  payload: unknown,
): IgnoredEvent {
  return { kind: 'ignored', reason, event, deliveryId, payload };
}

export function invalid(reason: string, deliveryId: string | null, payload: unknown): InvalidEvent {
  return { kind: 'invalid', reason, deliveryId, payload };
}

/** A header's single value (Node joins repeated ones with ", " or gives an array for set-cookie). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}
