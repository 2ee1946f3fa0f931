import type { HarborConfig, RegistryConfig } from '@customs/config';
import { createScanCredentialStore, type ScanQueues } from '@customs/queue';
import { SCAN_TOOL } from '@customs/scans';
import type { VulnDbReader } from '@customs/vulndb';
import express from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { HarborAdapterDeps } from './harbor-deps.js';
import { createHarborRouter } from './harbor-router.js';
import { createHarborScanRequests } from './scan-requests.js';

/** Each Redis call of a Harbor request; a scan request makes up to four within Harbor's 5 s. */
const REDIS_TIMEOUT_MS = 1_000;

export interface HarborMountDeps {
  harbor: HarborConfig;
  registries: readonly RegistryConfig[];
  store: HarborAdapterDeps['store'];
  queues: HarborAdapterDeps['queues'] & Pick<ScanQueues, 'enqueueScan'>;
  /** The API's Redis connection (BullMQ's): credentials and scan request ids live there. */
  redis: Pick<Redis, 'set' | 'get' | 'del'>;
  vulnReader: VulnDbReader;
  logger: Logger;
}

/**
 * The API app with Harbor's scanner adapter in front of it at `/api/v1` (a path the REST API does not
 * use); everything else goes on to `app` unchanged.
 */
export function withHarborAdapter(app: express.Express, deps: HarborMountDeps): express.Express {
  const outer = express();
  outer.disable('x-powered-by');
  outer.use(
    '/api/v1',
    createHarborRouter({
      harbor: deps.harbor,
      registries: deps.registries,
      store: deps.store,
      queues: deps.queues,
      credentials: createScanCredentialStore(deps.redis),
      requests: createHarborScanRequests(deps.redis, {
        ttlSeconds: deps.harbor.requestTtlSeconds,
        timeoutMs: REDIS_TIMEOUT_MS,
      }),
      vulnReader: deps.vulnReader,
      logger: deps.logger.child({ adapter: 'harbor' }),
      tool: SCAN_TOOL,
      now: () => new Date(),
      redisTimeoutMs: REDIS_TIMEOUT_MS,
    }),
  );
  outer.use(app);
  return outer;
}
