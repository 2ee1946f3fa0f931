/**
 * A worker process for the multi-process tests, wired the way `customs worker` would be: the
 * configuration from CUSTOMS_CONFIG, JSON logs on stdout. CUSTOMS_TEST_LEASE_MS shortens the layer
 * lease so a killed process frees its layers within a test.
 */
import { loadServiceConfig } from '@customs/config';
import { openDatabase } from '@customs/db';
import { openStore } from '@customs/store';
import { createWorkerLogger } from '../../logger.js';
import { startWorker } from '../../start-worker.js';

const config = loadServiceConfig({ env: process.env });
if (config.database === undefined || config.redis === undefined) {
  throw new Error('the test configuration names no database or no Redis');
}
const logger = createWorkerLogger({ level: 'debug' });
const db = await openDatabase({ url: config.database });
const store = await openStore(db, {
  layers: { leaseMs: Number(process.env.CUSTOMS_TEST_LEASE_MS ?? 30_000), pollMs: 50 },
});
const worker = await startWorker({
  config,
  store,
  redisUrl: config.redis,
  logger,
  registryClient: { retry: { maxAttempts: 2, baseDelayMs: 50 } },
});
logger.info({ pid: process.pid }, 'ready');
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => db.close())
    .then(() => process.exit(0));
});
