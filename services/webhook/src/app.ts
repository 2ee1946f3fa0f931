import type { ServiceConfig } from '@customs/config';
import { errorDocument, InvalidOptionError } from '@customs/errors';
import { DEFAULT_TUNING, type ScanQueues } from '@customs/queue';
import { createTagResolver, type TagResolver } from '@customs/scans';
import type { Store } from '@customs/store';
import express, { type NextFunction, type Request, type Response } from 'express';
import { handleDelivery, type PipelineDeps } from './delivery/handle-delivery.js';
import { errorText, INTERNAL_ERROR, recordDelivery, type WebhookLogger } from './delivery/outcomes.js';
import { bodyErrorResponse, rawBody } from './http/raw-body.js';
import { defaultReceivers } from './receivers/index.js';
import type { ActiveReceiver, Receiver } from './receivers/receiver.js';

export interface WebhookDeps {
  config: ServiceConfig;
  store: Pick<Store, 'scans' | 'images' | 'deliveries'>;
  /** The push lane, and the rescan lane for a new scan of a digest whose finished job the push lane still holds. */
  queues: Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan'>;
  logger: WebhookLogger;
  /** Turns a pushed tag into a digest (Docker Hub, Quay). Default: at the configured registry, via @customs/scans. */
  resolveTag?: TagResolver;
  now?: () => Date;
  /** Default: every receiver; a source without a configuration section is not served either way. */
  receivers?: readonly Receiver[];
  /** Longest wait for Redis before answering 503. Default 5 s. */
  enqueueTimeoutMs?: number;
  /** A push of a digest scanned this recently reuses that scan. Default: how long the queue keeps finished jobs. */
  dedupeWindowSeconds?: number;
}

const REQUIRED: ReadonlyArray<keyof WebhookDeps> = ['config', 'store', 'queues', 'logger'];

/**
 * The webhook service as an express app: one POST route per configured source, raw bodies up to
 * `config.webhook.bodyLimitBytes`, JSON answers, 404 for anything else. Listening is the caller's.
 */
export function createWebhookApp(deps: WebhookDeps): express.Express {
  for (const name of REQUIRED) {
    if (deps[name] === undefined || deps[name] === null) throw new InvalidOptionError(name, 'is required');
  }
  const pipeline: PipelineDeps = {
    config: deps.config,
    store: deps.store,
    queues: deps.queues,
    logger: deps.logger,
    resolveTag: deps.resolveTag ?? createTagResolver(),
    now: deps.now ?? (() => new Date()),
    enqueueTimeoutMs: deps.enqueueTimeoutMs ?? 5_000,
    dedupeWindowSeconds: deps.dedupeWindowSeconds ?? DEFAULT_TUNING.keepCompletedSeconds,
  };
  const limit = deps.config.webhook.bodyLimitBytes;
  const app = express();
  app.disable('x-powered-by');
  for (const receiver of deps.receivers ?? defaultReceivers) {
    const active = receiver.activate(deps.config.webhooks);
    if (active === null) continue;
    app.post(receiver.path, readBody(pipeline, receiver, limit), (request, response) =>
      serve(pipeline, receiver, active, request, response),
    );
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

/** The raw body, or an answer (413, 400) recorded as an invalid delivery of this source. */
function readBody(pipeline: PipelineDeps, receiver: Receiver, limit: number) {
  const read = rawBody(limit);
  return (request: Request, response: Response, next: NextFunction): void => {
    read(request, response, (error?: unknown) => {
      const answer = error === undefined ? null : bodyErrorResponse(error, limit);
      if (answer === null) return next(error);
      const reason = answer.body.error.message;
      pipeline.logger.warn(
        { source: receiver.source, status: answer.status, reason },
        'webhook body refused',
      );
      void recordDelivery(pipeline.store, pipeline.logger, {
        source: receiver.source,
        outcome: 'invalid',
        reason,
      }).finally(() => response.status(answer.status).json(answer.body));
    });
  };
}

async function serve(
  pipeline: PipelineDeps,
  receiver: Receiver,
  active: ActiveReceiver,
  request: Request,
  response: Response,
): Promise<void> {
  const body: unknown = request.body;
  const answer = await handleDelivery(pipeline, {
    source: receiver.source,
    receiver: active,
    delivery: {
      headers: request.headers,
      params: singleParams(request.params),
      rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
    },
    remoteAddress: request.socket.remoteAddress ?? null,
  });
  response.status(answer.status).json(answer.body);
}

/** Route params as single strings (express 5 gives arrays for wildcards, which no route here has). */
function singleParams(params: Request['params']): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]),
  );
}
