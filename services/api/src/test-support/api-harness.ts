import type { RegistryConfig } from '@customs/config';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';
import { createRedisConnection, createScanQueues, type ScanQueues } from '@customs/queue';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { openStore, type Store } from '@customs/store';
import { createVulnDbReader, type VulnDbReader } from '@customs/vulndb';
import type express from 'express';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { createApiApp } from '../app.js';
import type { ApiDeps, ApiTuning } from '../api-context.js';

export type ConfigPolicy = ApiDeps['config']['policy'];

export const DEFAULT_POLICY: ConfigPolicy = {
  failOn: 'HIGH',
  warnOn: 'MEDIUM',
  fixableOnly: false,
  ignore: [],
};

/** Real PostgreSQL (or PGlite) and a real Redis, with one token per scope. */
export interface Harness {
  db: Database;
  store: Store;
  reader: VulnDbReader;
  redis: ThrowawayRedis;
  queues: ScanQueues;
  tokens: { read: string; write: string; admin: string };
  app(options?: AppOptions): express.Express;
  /** Drops the PostgreSQL database under the running apps (terminating their connections). */
  dropDatabase(): Promise<void>;
  close(): Promise<void>;
}

export interface AppOptions {
  policy?: ConfigPolicy;
  registries?: RegistryConfig[];
  now?: () => Date;
  tuning?: Partial<ApiTuning>;
  resolveTag?: ApiDeps['resolveTag'];
  vulnData?: ApiDeps['config']['vulnData'];
}

/** Tests see changes at once unless they test the caches themselves. */
export const TEST_TUNING: Partial<ApiTuning> = {
  dataVersionPollMs: 0,
  transientVerdictTtlMs: 0,
  dependencyTimeoutMs: 500,
  enqueueTimeoutMs: 1_000,
};

export async function startHarness(kind: 'postgres' | 'pglite' = 'postgres'): Promise<Harness> {
  let server: TestPostgres | null = null;
  let db: Database;
  if (kind === 'postgres') {
    server = await createTestPostgres();
    db = await openDatabase({ url: server.url });
  } else {
    db = await openDatabase({ dataDir: 'memory://' });
  }
  const store = await openStore(db);
  const reader = await createVulnDbReader(db);
  const redis = await startThrowawayRedis();
  const connection: Redis = createRedisConnection(redis.url);
  const queues = createScanQueues(connection);
  const token = async (scopes: string[]) => (await store.tokens.create(scopes.join('+'), scopes)).token;
  const tokens = {
    read: await token(['verdicts:read']),
    write: await token(['scans:write']),
    admin: await token(['admin']),
  };
  return {
    db,
    store,
    reader,
    redis,
    queues,
    tokens,
    app: (options = {}) =>
      createApiApp({
        config: {
          policy: options.policy ?? DEFAULT_POLICY,
          registries: options.registries ?? [],
          ...(options.vulnData && { vulnData: options.vulnData }),
        },
        store,
        queues,
        vulnReader: reader,
        logger: pino({ level: 'silent' }),
        tuning: { ...TEST_TUNING, ...options.tuning },
        ...(options.now && { now: options.now }),
        ...(options.resolveTag && { resolveTag: options.resolveTag }),
      }),
    async dropDatabase() {
      if (server === null) throw new Error('only a PostgreSQL harness has a database to drop');
      await server.close();
      server = null;
    },
    async close() {
      // With Redis stopped (the readiness test) BullMQ's close would wait for it forever.
      await Promise.race([
        queues.close().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 1_000)),
      ]);
      connection.disconnect();
      await redis.stop();
      await db.close().catch(() => undefined);
      await server?.close();
    },
  };
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export function registryConfig(host: string): RegistryConfig {
  return { host, aliases: [], insecure: true, credentials: null };
}
