import type { ServiceConfig } from '@customs/config';
import { reportRedisFailures } from '@customs/queue';
import type { Store } from '@customs/store';
import express from 'express';
import { createWebhookApp, type WebhookDeps } from './app.js';
import { startDeliveryExpiry } from './delivery/expire-deliveries.js';
import { probeRoutes } from './http/probes.js';
import { createDeliveryMetrics } from './metrics/delivery-metrics.js';
import { createWebhookLogger, type WebhookLoggerOptions } from './logger.js';
import { connectWebhookQueues } from './queue-connection.js';
import { startWebhookServer, type WebhookServer } from './start-server.js';

export interface WebhookServiceDeps {
  config: ServiceConfig;
  /** Opened by the caller (and shared with the other roles of `customs serve`). */
  store: WebhookDeps['store'] & Pick<Store, 'db'>;
  redisUrl: string;
  /** Where the lines go and from which level; the logger itself (name, redaction) is the webhook's. */
  log?: WebhookLoggerOptions;
  /** Whole-request limit for slow senders; default: startWebhookServer's. */
  requestTimeoutMs?: number;
}

/**
 * `customs webhook`: its redacting logger, its fail-fast Redis producer, the app with /healthz,
 * /readyz and /metrics, the delivery log's expiry, and an HTTP server with slow-client timeouts on `config.webhook.host:port`. Closing stops accepting, lets deliveries
 * in flight be queued, then closes the Redis connection.
 */
export async function startWebhookService(deps: WebhookServiceDeps): Promise<WebhookServer> {
  const { config } = deps;
  const logger = createWebhookLogger(deps.log);
  const metrics = createDeliveryMetrics();
  const producer = connectWebhookQueues(deps.redisUrl, {
    onError: reportRedisFailures((error, failures) =>
      logger.warn({ error: error.message, failures }, 'Redis unavailable; retrying'),
    ),
  });
  try {
    const app = express();
    app.disable('x-powered-by');
    app.use(probeRoutes({ db: deps.store.db, queues: producer.queues }));
    app.get('/metrics', (_request, response, next) => {
      metrics
        .render()
        .then(({ text, contentType }) => response.type(contentType).send(text))
        .catch(next);
    });
    app.use(createWebhookApp({ config, store: deps.store, queues: producer.queues, logger, metrics }));
    const server = await startWebhookServer(app, {
      port: config.webhook.port,
      ...(config.webhook.host !== undefined && { host: config.webhook.host }),
      ...(deps.requestTimeoutMs !== undefined && { requestTimeoutMs: deps.requestTimeoutMs }),
    });
    const expiry = startDeliveryExpiry({
      store: deps.store,
      logger,
      retentionDays: config.webhook.deliveryRetentionDays,
    });
    return {
      url: server.url,
      port: server.port,
      async close() {
        await server.close();
        await expiry.close();
        await producer.close();
      },
    };
  } catch (error) {
    await producer.close();
    throw error;
  }
}
