import { after, before, beforeEach, describe } from 'node:test';
import { loadServiceConfig, type ServiceConfig, type ServiceConfigInput } from '@customs/config';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';
import {
  createRedisConnection,
  parseScanImageJob,
  RESCAN_QUEUE,
  SCAN_QUEUE,
  type ScanImageJob,
} from '@customs/queue';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { openStore, type Store, type StoredDelivery } from '@customs/store';
import { Queue } from 'bullmq';
import type { Express } from 'express';
import { createWebhookApp, type WebhookDeps } from '../app.js';
import { connectWebhookQueues, type WebhookQueues } from '../queue-connection.js';
import { createWebhookLogger } from '../logger.js';

/** The secrets of the test configuration (synthetic: made up for these tests). */
export const SECRETS = {
  distribution: 'Bearer distribution-test-token',
  harbor: 'Basic aGFyYm9yLXRlc3Q6c2VjcmV0',
  github: 'github-test-hmac-secret',
  dockerhub: 'dockerhub-test-path-secret',
  quay: 'quay-test-path-secret',
  ecr: 'ecr-test-api-key',
  acr: 'Bearer acr-test-token',
} as const;

type RegistryInput = NonNullable<ServiceConfigInput['registries']>[number];

/**
 * Registries the payload samples name, all configured: the e2e registry the Distribution samples were
 * captured from, Harbor's sample hosts, GHCR, the ECR sample's account and region, the ACR sample's
 * registry. Docker Hub and Quay stand-ins (fake registries) are added by the tests that need them.
 */
export const SAMPLE_REGISTRIES: RegistryInput[] = [
  { host: '127.0.0.1:5000' },
  { host: 'localhost' },
  { host: 'harbor.example.com' },
  { host: 'ghcr.io' },
  { host: '123456789012.dkr.ecr.us-west-2.amazonaws.com' },
  { host: 'matellcr.azurecr.io' },
];

/** A validated, frozen configuration, loaded the way the service loads its file. */
export function buildConfig(
  options: {
    registries?: RegistryInput[];
    webhooks?: ServiceConfigInput['webhooks'];
    /** `webhook` settings other than the port (a small bodyLimitBytes by default: tests send little). */
    webhook?: Omit<NonNullable<ServiceConfigInput['webhook']>, 'port'>;
  } = {},
): ServiceConfig {
  const document: ServiceConfigInput = {
    registries: [...SAMPLE_REGISTRIES, ...(options.registries ?? [])],
    webhooks: options.webhooks ?? {
      distribution: { authorization: SECRETS.distribution },
      harbor: { authorization: SECRETS.harbor },
      github: { secret: SECRETS.github },
      dockerhub: { pathSecret: SECRETS.dockerhub, registry: 'docker.io' },
      quay: { pathSecret: SECRETS.quay, registry: 'quay.io' },
      ecr: { key: SECRETS.ecr, registry: '123456789012.dkr.ecr.us-west-2.amazonaws.com' },
      acr: { authorization: SECRETS.acr },
    },
    webhook: { port: 0, bodyLimitBytes: 64 * 1024, ...options.webhook },
  };
  return loadServiceConfig({
    env: { CUSTOMS_CONFIG: 'webhook-test.json' },
    readFile: () => JSON.stringify(document),
  });
}

export interface ScanRow {
  id: string;
  digest: string;
  registry: string;
  repository: string;
  tag: string | null;
  trigger: string;
  status: string;
}

export interface Harness {
  readonly store: Store;
  readonly redis: ThrowawayRedis;
  /** Every line the webhook logged, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** The app over this harness's store and queues (built once per configuration). */
  app(config: ServiceConfig, overrides?: Partial<WebhookDeps>): Express;
  /** Every job a lane holds (default: the push lane), whatever its state. */
  jobs(lane?: 'scan' | 'rescan'): Promise<Array<{ id: string; data: ScanImageJob }>>;
  scans(): Promise<ScanRow[]>;
  /** Oldest first. */
  deliveries(): Promise<StoredDelivery[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export type BackendKind = 'pglite' | 'postgres';
export const BACKENDS: readonly BackendKind[] = ['pglite', 'postgres'];

async function openBackend(kind: BackendKind): Promise<{ db: Database; close(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' });
    return { db, close: () => db.close() };
  }
  const server: TestPostgres = await createTestPostgres();
  const db = await openDatabase({ url: server.url });
  return {
    db,
    async close() {
      await db.close();
      await server.close();
    },
  };
}

export async function startHarness(kind: BackendKind): Promise<Harness> {
  const backend = await openBackend(kind);
  const store = await openStore(backend.db);
  const redis = await startThrowawayRedis();
  const producer: WebhookQueues = connectWebhookQueues(redis.url);
  const inspection = createRedisConnection(redis.url);
  const lanes = {
    scan: new Queue(SCAN_QUEUE, { connection: inspection }),
    rescan: new Queue(RESCAN_QUEUE, { connection: inspection }),
  };
  const logs: Array<Record<string, unknown>> = [];
  const logger = createWebhookLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(logLine(line)) },
  });
  return {
    store,
    redis,
    logs,
    app: (config, overrides = {}) =>
      createWebhookApp({ config, store, queues: producer.queues, logger, ...overrides }),
    async jobs(lane = 'scan') {
      const jobs = await lanes[lane].getJobs([
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'completed',
        'failed',
      ]);
      return jobs.map((job) => ({ id: job.id ?? '', data: parseScanImageJob(job.data, job.id) }));
    },
    scans: () =>
      backend.db.query<ScanRow>(
        'select id, digest, registry, repository, tag, trigger, status from scans order by created_at, id',
      ),
    async deliveries() {
      return (await store.deliveries.recent(1000)).reverse();
    },
    async reset() {
      await backend.db.exec('truncate scans, scan_requesters, webhook_deliveries, image_refs');
      await inspection.flushall();
      logs.length = 0;
    },
    async close() {
      await Promise.all([lanes.scan.close(), lanes.rescan.close()]);
      inspection.disconnect();
      await producer.close();
      await redis.stop();
      await backend.close();
    },
  };
}

/**
 * Runs the same tests against embedded PGlite and a real PostgreSQL, each with its own throwaway
 * Redis; every test starts from empty tables and an empty Redis.
 */
export function describeOnBothDatabases(name: string, body: (harness: () => Harness) => void): void {
  for (const kind of BACKENDS) {
    describe(`${name} (${kind})`, () => {
      let harness: Harness | null = null;
      before(async () => {
        harness = await startHarness(kind);
      });
      after(async () => {
        await harness?.close();
      });
      beforeEach(async () => {
        await harness?.reset();
      });
      body(() => {
        if (harness === null) throw new Error('the harness has not started');
        return harness;
      });
    });
  }
}

function logLine(line: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(line);
  return typeof parsed === 'object' && parsed !== null ? { ...parsed } : { line };
}
