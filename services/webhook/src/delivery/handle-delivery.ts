import type { RegistryConfig, ServiceConfig } from '@customs/config';
import { errorDocument } from '@customs/errors';
import { admitRegistry, type RequestScanDeps, type TagResolver } from '@customs/scans';
import type { Delivery, Store } from '@customs/store';
import { PAYLOAD_HINT, WebhookPayloadError } from '../errors.js';
import type {
  ActiveReceiver,
  IncomingDelivery,
  NormalisedEvent,
  ReceivedEvent,
  ScanEvent,
  WebhookSource,
} from '../receivers/receiver.js';
import {
  errorText,
  failureResponse,
  recordDelivery,
  type DeliveryResponse,
  type ErrorResponse,
  type WebhookLogger,
} from './outcomes.js';
import { queueScan } from './queue-scan.js';

export interface PipelineDeps extends RequestScanDeps {
  config: ServiceConfig;
  store: Pick<Store, 'scans' | 'images' | 'deliveries'>;
  logger: WebhookLogger;
  resolveTag: TagResolver;
}

export interface DeliveryRequest {
  source: WebhookSource;
  receiver: ActiveReceiver;
  delivery: IncomingDelivery;
  remoteAddress: string | null;
}

interface Tally {
  enqueued: number;
  duplicates: number;
  ignored: number;
  invalid: number;
  scans: string[];
}

/** One answer for every refusal: the sender is not told which check failed, the log says. */
const UNAUTHORIZED: ErrorResponse = {
  status: 401,
  body: errorDocument(
    'UNAUTHENTICATED',
    'the delivery was refused',
    "check the sender's secret or signature and that it names a configured registry; the webhook log says which",
  ),
};

/**
 * One webhook request, start to answer: authenticity, JSON, the sender's format, the registry
 * allow-list (before any outbound request), tag resolution, queueing, and a stored delivery for every
 * event, refused ones included. 2xx only when every scan it asked for is in Redis.
 */
export async function handleDelivery(
  deps: PipelineDeps,
  request: DeliveryRequest,
): Promise<DeliveryResponse> {
  const { source, receiver, delivery } = request;
  const auth = receiver.authenticate(delivery);
  if (!auth.ok) {
    // The body of an unauthenticated request is not stored: only what is needed to trace the caller.
    await refuse(
      deps,
      source,
      auth.reason,
      [{ deliveryId: null, payload: requestSummary(request) }],
      request,
    );
    return UNAUTHORIZED;
  }
  const events = readEvents(receiver, delivery);
  if (!events.ok) {
    await store(deps, { source, outcome: 'invalid', reason: events.reason, payload: events.payload });
    return { status: 400, body: errorDocument('WEBHOOK_PAYLOAD_INVALID', events.reason, PAYLOAD_HINT) };
  }
  const registries = new Map<ScanEvent, RegistryConfig>();
  const refused: Array<{ item: ScanEvent; reason: string }> = [];
  for (const item of events.items) {
    if (item.kind !== 'scan') continue;
    const admission = admitRegistry(deps.config.registries, item.event.registry, receiver.registry);
    if (admission.ok) registries.set(item, admission.registry);
    else refused.push({ item, reason: admission.reason });
  }
  if (refused.length > 0) {
    for (const { item, reason } of refused) {
      const row = { deliveryId: item.deliveryId, payload: item.payload, event: item.event };
      await refuse(deps, source, reason, [row], request);
    }
    return UNAUTHORIZED;
  }
  return processEvents(deps, source, events.items, registries);
}

type ReadResult = { ok: true; items: ReceivedEvent[] } | { ok: false; reason: string; payload: unknown };

function readEvents(receiver: ActiveReceiver, delivery: IncomingDelivery): ReadResult {
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${errorText(error)}`, payload: null };
  }
  try {
    return { ok: true, items: receiver.parse(body, delivery) };
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    return { ok: false, reason: error.message, payload: body };
  }
}

async function processEvents(
  deps: PipelineDeps,
  source: WebhookSource,
  items: readonly ReceivedEvent[],
  registries: ReadonlyMap<ScanEvent, RegistryConfig>,
): Promise<DeliveryResponse> {
  const tally: Tally = { enqueued: 0, duplicates: 0, ignored: 0, invalid: 0, scans: [] };
  let failure: unknown = null;
  for (const item of items) {
    const row = { source, deliveryId: item.deliveryId, payload: item.payload };
    if (item.kind === 'ignored') {
      tally.ignored += 1;
      await store(deps, { ...row, ...located(item.event), outcome: 'ignored', reason: item.reason });
      continue;
    }
    if (item.kind === 'invalid') {
      tally.invalid += 1;
      await store(deps, { ...row, outcome: 'invalid', reason: item.reason });
      continue;
    }
    const registry = registries.get(item);
    if (registry === undefined) continue;
    const where = { ...row, ...located(item.event), registry: registry.host };
    if (failure !== null) {
      // Redis or the registry just failed: the sender re-sends the whole request anyway.
      await store(deps, {
        ...where,
        deliveryId: null,
        outcome: 'failed',
        reason: 'not attempted: an earlier event failed',
      });
      continue;
    }
    try {
      const digest = await digestOf(deps, registry, item.event);
      const queued = await queueScan(deps, {
        registry,
        repository: item.event.repository,
        digest,
        tag: item.event.tag,
      });
      tally[queued.outcome === 'enqueued' ? 'enqueued' : 'duplicates'] += 1;
      tally.scans.push(queued.scanId);
      await store(deps, {
        ...where,
        digest,
        scanId: queued.scanId,
        outcome: queued.outcome,
        reason: queued.reason,
      });
    } catch (error) {
      failure = error;
      // No sender id on a failure: the sender's retry of the same delivery must not look like a replay.
      await store(deps, { ...where, deliveryId: null, outcome: 'failed', reason: errorText(error) });
    }
  }
  if (failure !== null) return failureResponse(failure);
  const status = tally.enqueued + tally.duplicates > 0 ? 202 : 200;
  return { status, body: { ...tally } };
}

/** The pushed digest: as the sender says it, or what the pushed tag points to now (Docker Hub, Quay). */
async function digestOf(
  deps: PipelineDeps,
  registry: RegistryConfig,
  event: NormalisedEvent,
): Promise<string> {
  if (event.digest !== null) return event.digest;
  // Receivers give a tag whenever they give no digest; an event with neither is a receiver bug.
  if (event.tag === null) throw new Error(`a ${event.action} event with neither digest nor tag`);
  return deps.resolveTag(registry, event.repository, event.tag);
}

function located(
  event: Partial<NormalisedEvent>,
): Pick<Delivery, 'registry' | 'repository' | 'digest' | 'tag'> {
  return {
    registry: event.registry ?? null,
    repository: event.repository ?? null,
    digest: event.digest ?? null,
    tag: event.tag ?? null,
  };
}

async function refuse(
  deps: PipelineDeps,
  source: WebhookSource,
  reason: string,
  rows: ReadonlyArray<{ deliveryId: string | null; payload: unknown; event?: Partial<NormalisedEvent> }>,
  request: DeliveryRequest,
): Promise<void> {
  deps.logger.warn({ source, reason, remoteAddress: request.remoteAddress }, 'webhook delivery refused');
  for (const row of rows) {
    const sender = row.deliveryId ? ` (sender id ${row.deliveryId})` : '';
    await recordDelivery(deps.store, deps.logger, {
      source,
      deliveryId: null,
      outcome: 'rejected',
      reason: `${reason}${sender}`,
      payload: row.payload,
      ...located(row.event ?? {}),
    });
  }
}

async function store(deps: PipelineDeps, delivery: Delivery): Promise<void> {
  const { replay } = await recordDelivery(deps.store, deps.logger, delivery);
  const fields = {
    source: delivery.source,
    outcome: delivery.outcome,
    reason: delivery.reason,
    registry: delivery.registry,
    repository: delivery.repository,
    digest: delivery.digest,
    tag: delivery.tag,
    scanId: delivery.scanId,
    deliveryId: delivery.deliveryId,
    replay,
  };
  if (delivery.outcome === 'failed') deps.logger.error(fields, 'webhook event failed');
  else if (delivery.outcome === 'invalid') deps.logger.warn(fields, 'webhook event invalid');
  else deps.logger.info(fields, `webhook event ${delivery.outcome}`);
}

/** What is kept of a refused request: enough to find the caller, nothing it sent. */
function requestSummary(request: DeliveryRequest): Record<string, unknown> {
  const { headers, rawBody } = request.delivery;
  return {
    refused: {
      bytes: rawBody.length,
      contentType: headers['content-type'] ?? null,
      userAgent: headers['user-agent'] ?? null,
      remoteAddress: request.remoteAddress,
    },
  };
}
