import { loadServiceConfig, type ServiceConfig, type ServiceConfigInput } from '@customs/config';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';
import { createRedisConnection, createScanQueues, type ScanQueues } from '@customs/queue';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { openStore, type Scan, type ScanStatus, type Store, type StoreOptions } from '@customs/store';
import type { Logger } from 'pino';
import { createWorkerLogger } from '../../logger.js';

/** A private Redis and a fresh PostgreSQL database, with the store opened over it. */
export interface TestServices {
  redis: ThrowawayRedis;
  postgres: TestPostgres;
  db: Database;
  store: Store;
  /** A producer, as the webhook would hold: short backoff so retries happen within a test. */
  queues: ScanQueues;
  close(): Promise<void>;
}

export async function startServices(
  options: { appendonly?: boolean; store?: StoreOptions } = {},
): Promise<TestServices> {
  const redis = await startThrowawayRedis({ appendonly: options.appendonly ?? false });
  const postgres = await createTestPostgres();
  const db = await openDatabase({ url: postgres.url });
  const store = await openStore(db, options.store);
  const producer = createRedisConnection(redis.url);
  const queues = createScanQueues(producer, { backoffMs: 100 });
  return {
    redis,
    postgres,
    db,
    store,
    queues,
    async close() {
      await queues.close();
      producer.disconnect();
      await db.close();
      await postgres.close();
      await redis.stop();
    },
  };
}

/** The service configuration as `loadServiceConfig` makes it from a file with this content. */
export function serviceConfig(input: ServiceConfigInput): ServiceConfig {
  return loadServiceConfig({
    env: { CUSTOMS_CONFIG: 'customs.json' },
    readFile: () => JSON.stringify(input),
  });
}

/** A logger whose JSON lines are kept for the test to read. */
export function captureLogs(): { logger: Logger; entries(): Array<Record<string, unknown>>; text(): string } {
  const lines: string[] = [];
  const logger = createWorkerLogger({
    level: 'debug',
    destination: { write: (line: string) => lines.push(line) },
  });
  return {
    logger,
    entries: () => lines.map((line): Record<string, unknown> => JSON.parse(line)),
    text: () => lines.join(''),
  };
}

export interface ScanRequest {
  registry: string;
  repository: string;
  digest: string;
  tag?: string | null;
}

/** What the webhook does on a push: a scan record, then its job. */
export async function requestScan(
  services: Pick<TestServices, 'store' | 'queues'>,
  request: ScanRequest,
): Promise<Scan> {
  const scan = await services.store.scans.create({
    ...request,
    tag: request.tag ?? null,
    trigger: 'webhook',
  });
  await services.queues.enqueueScan(jobFor(scan));
  return scan;
}

export function jobFor(scan: Scan) {
  return {
    v: 1 as const,
    scanId: scan.id,
    registry: scan.registry,
    repository: scan.repository,
    digest: scan.digest,
    tag: scan.tag,
    requestedAt: scan.createdAt.toISOString(),
  };
}

/** Waits until the scan is `done` or `failed` (or in one of `until`), and returns it. */
export async function settled(
  store: Store,
  scanId: string,
  options: { timeoutMs?: number; until?: readonly ScanStatus[] } = {},
): Promise<Scan> {
  const until = options.until ?? ['done', 'failed'];
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const scan = await store.scans.get(scanId);
    if (scan && until.includes(scan.status)) return scan;
    if (Date.now() > deadline) throw new Error(`scan ${scanId} is still ${scan?.status ?? 'missing'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls `check` until it returns something other than undefined. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
