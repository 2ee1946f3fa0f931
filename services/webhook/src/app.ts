import type { ServiceConfig } from '@customs/config';
import { errorDocument, InvalidOptionError } from '@customs/errors';
import { DEFAULT_TUNING, type ScanQueues } from '@customs/queue';
import { createTagResolver, type TagResolver } from '@customs/scans';
import type { Store } from '@customs/store';
import express, { type NextFunction, type Request, type Response } from 'express';
import { errorText, INTERNAL_ERROR, type WebhookLogger } from './delivery/outcomes.js';
import { createRefusalGate } from './delivery/refusal-gate.js';
import { serveDelivery, type ServeDeps } from './http/serve-delivery.js';
import { createDeliveryMetrics, type DeliveryMetrics } from './metrics/delivery-metrics.js';
import { defaultReceivers } from './receivers/index.js';
import type { Receiver } from './receivers/receiver.js';

export interface WebhookDeps {
  config: ServiceConfig;
  store: Pick<Store, 'scans' | 'images' | 'deliveries'>;
  /** The push lane, and the rescan lane for a new scan of a digest whose finished job the push lane still holds. */
  queues: Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan'>;
  logger: WebhookLogger;
  /** Where deliveries are counted; default: a registry of this app's own (not served). */
  metrics?: Pick<DeliveryMetrics, 'count'>;
  /** Turns a pushed tag into a digest (Docker Hub, Quay). Default: at the configured registry, via @customs/scans. */
  resolveTag?: TagResolver;
  now?: () => Date;
  /** Default: every receiver; a source without a configuration section is not served either way. */
  receivers?: readonly Receiver[];
  /** A push of a digest scanned this recently reuses that scan. Default: how long the queue keeps finished jobs. */
  dedupeWindowSeconds?: number;
}

const REQUIRED: ReadonlyArray<keyof WebhookDeps> = ['config', 'store', 'queues', 'logger'];

/**
 * The webhook service as an express app: one POST route per configured source, JSON answers, 404 for
 * anything else. Listening is the caller's.
 */
export function createWebhookApp(deps: WebhookDeps): express.Express {
  for (const name of REQUIRED) {
    if (deps[name] === undefined || deps[name] === null) throw new InvalidOptionError(name, 'is required');
  }
  const settings = deps.config.webhook;
  const serveDeps: ServeDeps = {
    config: deps.config,
    store: deps.store,
    queues: deps.queues,
    logger: deps.logger,
    metrics: deps.metrics ?? createDeliveryMetrics(),
    resolveTag: deps.resolveTag ?? createTagResolver(),
    now: deps.now ?? (() => new Date()),
    answerWithinMs: settings.answerWithinMs,
    enqueueTimeoutMs: settings.answerWithinMs,
    dedupeWindowSeconds: deps.dedupeWindowSeconds ?? DEFAULT_TUNING.keepCompletedSeconds,
    gate: createRefusalGate({ perMinute: settings.refusedPerMinute }),
  };
  const app = express();
  app.disable('x-powered-by');
  for (const receiver of deps.receivers ?? defaultReceivers) {
    const active = receiver.activate(deps.config.webhooks);
    if (active === null) continue;
    app.post(receiver.path, (request, response, next) => {
      serveDelivery(serveDeps, receiver, active, request, response).catch(next);
    });
  }
  // Never echo the path back: for Docker Hub and Quay it holds the secret.
  app.use((_request: Request, response: Response) => {
    response.status(404).json(errorDocument('ROUTE_NOT_FOUND', 'no webhook route here'));
  });
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    deps.logger.error({ error: errorText(error) }, 'webhook request failed');
    response.status(INTERNAL_ERROR.status).json(INTERNAL_ERROR.body);
  });
  return app;
}
