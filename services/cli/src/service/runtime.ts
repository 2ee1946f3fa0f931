import { join } from 'node:path';
import {
  createServiceLogger,
  loadServiceConfig,
  type ServiceConfig,
  type ServiceLogOptions,
} from '@customs/config';
import { defaultDataDir, openDatabase, type Database } from '@customs/db';
import { CustomsError } from '@customs/errors';
import { createS3ObjectStore, openStore, type Store } from '@customs/store';
import type { Logger } from 'pino';
import { startPrivateRedis } from './private-redis.js';

/** Everything a Customs process shares between its roles, opened once and closed once. */
export interface ServiceRuntime {
  readonly config: ServiceConfig;
  readonly db: Database;
  readonly store: Store;
  readonly redisUrl: string;
  /** What each role makes its own logger with (LOG_LEVEL); every one censors secrets. */
  readonly log: ServiceLogOptions;
  /** The runtime's lines (started, stopping), censored like the roles'. */
  readonly logger: Logger;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** `serve` runs everything in one process, so it may use embedded PGlite and a private Redis. */
  singleProcess: boolean;
  role: string;
}

export class SharedDatabaseRequiredError extends CustomsError {
  constructor(role: string) {
    super(
      'DATABASE_URL_REQUIRED',
      `customs ${role} shares its database with other processes: set DATABASE_URL`,
      {
        hint: 'embedded PGlite serves one process only; for a single machine run "customs serve"',
      },
    );
  }
}

export class RedisUrlRequiredError extends CustomsError {
  constructor(role: string) {
    super('REDIS_URL_REQUIRED', `customs ${role} shares its queue with other processes: set REDIS_URL`, {
      hint: 'for a single machine run "customs serve", which starts a private redis-server',
    });
  }
}

export async function openRuntime(options: RuntimeOptions): Promise<ServiceRuntime> {
  const config = loadServiceConfig({ env: options.env });
  const log: ServiceLogOptions = { level: options.env.LOG_LEVEL ?? 'info' };
  const logger = createServiceLogger(`customs-${options.role}`, log);
  if (!config.database && !options.singleProcess) throw new SharedDatabaseRequiredError(options.role);
  const dataDir = config.dataDir ?? defaultDataDir(options.env);
  const closers: Array<() => Promise<void>> = [];
  try {
    const db = await openDatabase(config.database ? { url: config.database } : { dataDir });
    closers.push(() => db.close());
    const store = await openStore(db, {
      // A killed worker's layer lease must free the layer as soon as its job moves to another worker,
      // or the rescuer waits out the default lease (30 s) whatever worker.lockSeconds says.
      layers: { leaseMs: config.worker.lockSeconds * 1000 },
      ...(config.s3 && { objects: createS3ObjectStore(s3Options(config.s3)) }),
    });
    if (config.bootstrapToken)
      await store.tokens.ensure('bootstrap (CUSTOMS_ADMIN_TOKEN)', config.bootstrapToken, ['admin']);
    let redisUrl = config.redis;
    if (!redisUrl) {
      if (!options.singleProcess) throw new RedisUrlRequiredError(options.role);
      const redis = await startPrivateRedis(join(dataDir, '..', 'redis'));
      closers.push(() => redis.stop());
      redisUrl = redis.url;
      logger.info({ redis: redisUrl }, 'no REDIS_URL: started a private redis-server');
    }
    logger.info({ database: db.location, role: options.role }, 'runtime ready');
    return {
      config,
      db,
      store,
      redisUrl,
      log,
      logger,
      async close() {
        for (const close of closers.reverse())
          await close().catch((error: unknown) => logger.warn({ error }, 'close failed'));
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

function s3Options(s3: NonNullable<ServiceConfig['s3']>) {
  return {
    bucket: s3.bucket,
    prefix: s3.prefix,
    region: s3.region,
    ...(s3.endpoint && { endpoint: s3.endpoint }),
    ...(s3.credentials && { credentials: s3.credentials }),
  };
}
