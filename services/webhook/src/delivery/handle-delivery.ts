import type { RegistryConfig, ServiceConfig } from '@customs/config';
import { admitRegistry, type RequestScanDeps, type TagResolver } from '@customs/scans';
import type { Delivery, Store } from '@customs/store';
import { WebhookPayloadError } from '../errors.js';
import type { DeliveryReason } from '../metrics/delivery-metrics.js';
import type {
  ActiveReceiver,
  IncomingDelivery,
  NormalisedEvent,
  ReceivedEvent,
  WebhookSource,
} from '../receivers/receiver.js';
import {
  errorText,
  failureResponse,
  recordDelivery,
  within,
  type DeliveryResponse,
  type ErrorResponse,
  type RecordDeps,
} from './outcomes.js';
import { queueScan } from './queue-scan.js';

export interface PipelineDeps extends RequestScanDeps, RecordDeps {
  config: ServiceConfig;
  store: Pick<Store, 'scans' | 'images' | 'deliveries'>;
  resolveTag: TagResolver;
}

export interface DeliveryRequest {
  source: WebhookSource;
  receiver: ActiveReceiver;
  /** Already authenticated. */
  delivery: IncomingDelivery;
}

interface Tally {
  enqueued: number;
  duplicates: number;
  ignored: number;
  /** Events that can never be scanned: unusable, or naming a registry that is not configured. */
  invalid: number;
  scans: string[];
}

/**
 * One authenticated delivery, start to answer: JSON, the sender's format, the registry allow-list
 * (before any outbound request), tag resolution, queueing, and a stored delivery for every event.
 * Non-2xx only for what may succeed when sent again (PostgreSQL or Redis back, a registry reachable):
 * anything else is acknowledged and recorded with its reason, because Distribution re-sends a
 * non-2xx delivery forever and holds every later event of the registry behind it.
 */
export async function handleDelivery(
  deps: PipelineDeps,
  request: DeliveryRequest,
): Promise<DeliveryResponse> {
  const { source, receiver, delivery } = request;
  const events = readEvents(receiver, delivery);
  if (!events.ok) {
    await store(
      deps,
      { source, outcome: 'invalid', reason: events.reason, payload: events.payload },
      'payload_invalid',
    );
    return { status: 200, body: { ...emptyTally(), invalid: 1, problem: events.reason } };
  }
  return processEvents(deps, source, receiver, events.items);
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

function emptyTally(): Tally {
  return { enqueued: 0, duplicates: 0, ignored: 0, invalid: 0, scans: [] };
}

async function processEvents(
  deps: PipelineDeps,
  source: WebhookSource,
  receiver: ActiveReceiver,
  items: readonly ReceivedEvent[],
): Promise<DeliveryResponse> {
  const tally = emptyTally();
  let failure: ErrorResponse | null = null;
  for (const item of items) {
    const row = { source, deliveryId: item.deliveryId, payload: item.payload };
    if (item.kind === 'ignored') {
      tally.ignored += 1;
      await store(
        deps,
        { ...row, ...located(item.event), outcome: 'ignored', reason: item.reason },
        'not_scanned',
      );
      continue;
    }
    if (item.kind === 'invalid') {
      tally.invalid += 1;
      await store(deps, { ...row, outcome: 'invalid', reason: item.reason }, 'event_invalid');
      continue;
    }
    const admission = admitRegistry(deps.config.registries, item.event.registry, receiver.registry);
    if (!admission.ok) {
      // Authentic, so no forgery: a name the registry goes by that is missing from registries[].aliases.
      tally.invalid += 1;
      const reason = `${admission.reason}; add it to registries[].aliases if it is that registry`;
      deps.logger.warn(
        { source, registry: item.event.registry },
        'webhook event names an unconfigured registry',
      );
      await store(
        deps,
        { ...row, ...located(item.event), outcome: 'rejected', reason },
        'registry_not_configured',
      );
      continue;
    }
    const registry = admission.registry;
    const where = { ...row, ...located(item.event), registry: registry.host };
    if (failure !== null) {
      // Redis or the registry just failed: the sender re-sends the whole request anyway.
      const reason = 'not attempted: an earlier event failed';
      void store(deps, { ...where, deliveryId: null, outcome: 'failed', reason }, 'unavailable');
      continue;
    }
    try {
      const digest = await digestOf(deps, registry, item.event);
      const parents = item.event.tag === null ? await indexesOf(deps, digest) : [];
      if (parents.length > 0) {
        tally.ignored += 1;
        const reason = `pushed by digest, and a child of index ${parents.join(', ')}: scanned through it`;
        await store(deps, { ...where, digest, outcome: 'ignored', reason }, 'index_child');
        continue;
      }
      const queued = await within(
        queueScan(deps, { registry, repository: item.event.repository, digest, tag: item.event.tag }),
        deps.answerWithinMs,
      );
      tally[queued.outcome === 'enqueued' ? 'enqueued' : 'duplicates'] += 1;
      tally.scans.push(queued.scanId);
      const reason = queued.outcome === 'enqueued' ? 'queued' : 'already_queued';
      await store(
        deps,
        { ...where, digest, scanId: queued.scanId, outcome: queued.outcome, reason: queued.reason },
        reason,
      );
    } catch (error) {
      const answer = failureResponse(error);
      // No sender id on a failure: the sender's retry of the same delivery must not look like a replay.
      const failed: Delivery = { ...where, deliveryId: null, outcome: 'failed', reason: errorText(error) };
      if (answer === null) {
        tally.invalid += 1;
        deps.logger.error({ source, error: errorText(error) }, 'webhook event failed unexpectedly');
        await store(deps, { ...failed, deliveryId: item.deliveryId }, 'error');
        continue;
      }
      failure = answer;
      // Not awaited: PostgreSQL may be what failed, and the sender needs its answer now.
      void store(deps, failed, 'unavailable');
    }
  }
  if (failure !== null) return failure;
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

/** The indexes a manifest pushed by digest is known to belong to (from earlier scans of them). */
function indexesOf(deps: PipelineDeps, digest: string): Promise<string[]> {
  return within(deps.store.images.indexesOf(digest), deps.answerWithinMs);
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

async function store(deps: PipelineDeps, delivery: Delivery, kind: DeliveryReason): Promise<void> {
  const { replay } = await recordDelivery(deps, delivery, kind);
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
  else if (delivery.outcome === 'invalid' || delivery.outcome === 'rejected')
    deps.logger.warn(fields, `webhook event ${delivery.outcome}`);
  else deps.logger.info(fields, `webhook event ${delivery.outcome}`);
}
