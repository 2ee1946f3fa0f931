import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer, Server as TlsServer } from 'node:https';
import { createServiceLogger, type ServiceConfig, type ServiceLogOptions } from '@customs/config';
import { describeError } from '@customs/errors';
import { openPolicyFile, type PolicySource } from '@customs/policy';
import type { Logger } from 'pino';
import {
  createRedisConnection,
  createRejudgeQueue,
  createScanQueues,
  reportRedisFailures,
} from '@customs/queue';
import { createVulnDbReader } from '@customs/vulndb';
import { createApiApp } from './app.js';
import type { ApiDeps, ApiTuning } from './api-context.js';
import { withHarborAdapter } from './harbor/index.js';
import { importVexFiles } from './vex-files.js';

export interface ApiServiceDeps {
  config: ServiceConfig;
  /** Opened by the caller (and shared with the other roles of `customs serve`). */
  store: ApiDeps['store'];
  redisUrl: string;
  /** Where the lines go and from which level; the logger itself (name, redaction) is the API's. */
  log?: ServiceLogOptions;
  tuning?: Partial<ApiTuning>;
  /** Whole-request limit, so a slow client cannot hold a connection open. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface ApiService {
  /** `http://host:port` as bound: `[::]` or `0.0.0.0` when listening on every interface. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in flight finish, then closes the Redis connection. */
  close(): Promise<void>;
}

/**
 * `customs api`: its redacting logger, its Redis producer (commands wait for a reconnect, each call
 * under the API's own deadline), the vulnerability reader, the app, and an HTTP server with
 * slow-client timeouts on `config.api.host:port`.
 */
export async function startApiService(deps: ApiServiceDeps): Promise<ApiService> {
  const { config } = deps;
  const logger = createServiceLogger('customs-api', deps.log);
  const connection = createRedisConnection(
    deps.redisUrl,
    reportRedisFailures((error, failures) =>
      logger.warn({ error: error.message, failures }, 'Redis unavailable; retrying'),
    ),
  );
  const queues = createScanQueues(connection);
  const rejudgeQueue = createRejudgeQueue(connection);
  let policies: PolicySource | null = null;
  const closeQueues = async () => {
    policies?.close();
    await queues.close().catch(() => undefined);
    await rejudgeQueue.close().catch(() => undefined);
    connection.disconnect();
  };
  try {
    policies = await openPolicies(config.policy, logger);
    const vulnReader = await createVulnDbReader(deps.store.db);
    await importVexFiles(config.vex.files, deps.store.vex, logger);
    const app = createApiApp({
      config,
      store: deps.store,
      queues,
      vulnReader,
      logger,
      rejudge: { queue: rejudgeQueue, batchSize: config.updater.rejudgeBatchSize },
      ...(policies && { policies }),
      ...(deps.tuning && { tuning: deps.tuning }),
    });
    const { registries, harbor } = config;
    const handler = harbor
      ? withHarborAdapter(app, {
          harbor,
          registries,
          store: deps.store,
          queues,
          redis: connection,
          vulnReader,
          logger,
        })
      : app;
    const requestTimeout = deps.requestTimeoutMs ?? 30_000;
    const headersTimeout = Math.min(requestTimeout, 10_000);
    // Node checks the two timeouts only every `connectionsCheckingInterval` (30 s by default).
    const timeouts = { requestTimeout, headersTimeout, connectionsCheckingInterval: headersTimeout / 2 };
    // HTTPS when configured: Kubernetes calls admission webhooks (POST /v1/admission) over HTTPS only.
    const { tls } = config.api;
    const server = tls
      ? createTlsServer(
          { ...timeouts, cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
          handler,
        )
      : createServer(timeouts, handler);
    const { url, port } = await listen(server, config.api.port, config.api.host);
    return {
      url,
      port,
      async close() {
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeIdleConnections();
        });
        await closeQueues();
      },
    };
  } catch (error) {
    await closeQueues();
    throw error;
  }
}

/**
 * The policy file, when configured: read at start (a broken one stops the start), then reloaded on
 * SIGHUP and on change; a broken reload is logged and the policy in force stays.
 */
async function openPolicies(policy: ServiceConfig['policy'], logger: Logger): Promise<PolicySource | null> {
  const { file, ...defaults } = policy;
  if (file === undefined) return null;
  const source = await openPolicyFile({
    file,
    defaults,
    onLoad: (set) =>
      logger.info({ file, version: set.version, rules: set.rules.length }, 'policy file reloaded'),
    onError: (error) =>
      logger.error(
        { file, error: describeError(error) },
        'policy file not reloaded; the previous policy stays',
      ),
  });
  logger.info({ file, version: source.current().version }, 'policy file loaded');
  return source;
}

async function listen(server: Server | TlsServer, port: number, host: string | undefined) {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('the API server is not listening on TCP');
  const address = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  const scheme = server instanceof TlsServer ? 'https' : 'http';
  return { url: `${scheme}://${address}:${bound.port}`, port: bound.port };
}
