import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres } from '@customs/db/testing';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { runCustoms } from './customs-cli.js';
import { CustomsApi } from './customs-api.js';
import { freePort } from './daemon.js';
import { OSV_FIXTURES } from './osv-oracle.js';
import { startRegistry, type Registry } from './registry.js';
import { generateSecrets, writeServiceConfig, type ServiceSecrets } from './service-config.js';
import { startRole, type RoleProcess, type ServiceRole } from './service-role.js';

export interface ServiceStackOptions {
  /** Worker processes started with the stack (more can be started later). */
  workers: number;
  /** `worker.lockSeconds`; default 2, so a killed worker's job moves within seconds. */
  lockSeconds?: number;
  /** `worker.concurrency` of each worker; default 2. */
  concurrency?: number;
  /** Import test/fixtures/osv with `customs db import` before the roles start; default true. */
  importAdvisories?: boolean;
  /** The registry's notification endpoint as deploy/registry/config.yml (the README) has it. */
  recommendedNotifications?: boolean;
  /** Options for node in every role process (a bench's `--cpu-prof`). */
  nodeArgs?: readonly string[];
  /** Workers push signed attestations with the PEM private key in this file (`attestations.push`). */
  attestationKeyFile?: string;
}

/**
 * Customs as an operator runs it on several machines, all on 127.0.0.1: `customs webhook`, `customs
 * api` and `customs worker` as separate processes sharing a throwaway PostgreSQL database and a
 * throwaway append-only Redis, configured by a generated CUSTOMS_CONFIG, fed by a real docker-registry
 * (htpasswd auth) whose notifications go to the webhook process.
 */
export interface WorkerOptions {
  /** `worker.concurrency` of this process; default the stack's. */
  concurrency?: number;
  /** Pull layers through this `host:port` (a proxy in front of the registry). */
  pullVia?: string;
}

export interface ServiceStack {
  readonly dir: string;
  readonly registry: Registry;
  readonly redis: ThrowawayRedis;
  readonly databaseUrl: string;
  readonly secrets: ServiceSecrets;
  readonly webhook: RoleProcess;
  /** The webhook's base URL, e.g. `http://127.0.0.1:PORT`. */
  readonly webhookUrl: string;
  readonly api: CustomsApi;
  readonly apiProcess: RoleProcess;
  /** Every worker started so far, killed ones included. */
  readonly workers: RoleProcess[];
  /** Starts one more worker process; `concurrency` overrides the stack's for this one. */
  startWorker(options?: WorkerOptions): Promise<RoleProcess>;
  /** The shared database, for what the API does not show (scan rows, deliveries). */
  readonly db: Database;
  /** Stops every process and deletes every throwaway thing; safe after a failed start. */
  stop(): Promise<void>;
}

type Cleanup = () => Promise<unknown>;

/**
 * The webhook's port is chosen before the registry starts (its notifications point there) and bound
 * only when the webhook process starts; tests running beside this one may take it in between. Then
 * the whole stack is assembled again on new ports, a few times at most.
 */
const PORT_RACE_ATTEMPTS = 3;

export async function startServiceStack(options: ServiceStackOptions): Promise<ServiceStack> {
  for (let attempt = 1; ; attempt++) {
    const cleanups: Cleanup[] = [];
    const stop = async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    };
    try {
      return await assemble(options, cleanups, stop);
    } catch (error) {
      await stop();
      if (attempt < PORT_RACE_ATTEMPTS && String(error).includes('EADDRINUSE')) continue;
      throw error;
    }
  }
}

async function assemble(
  options: ServiceStackOptions,
  cleanups: Cleanup[],
  stop: () => Promise<void>,
): Promise<ServiceStack> {
  const dir = await mkdtemp(join(tmpdir(), 'customs-e2e-service-'));
  // CUSTOMS_E2E_KEEP=1 keeps the processes' logs and configuration for reading after a failed run.
  if (process.env.CUSTOMS_E2E_KEEP !== '1') cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const postgresReady = createTestPostgres();
  const redisReady = startThrowawayRedis({ appendonly: true });
  cleanups.push(
    () => postgresReady.then((postgres) => postgres.close()),
    () => redisReady.then((redis) => redis.stop()),
  );
  await settleAll([postgresReady, redisReady]);
  const [postgres, redis] = [await postgresReady, await redisReady];
  const secrets = generateSecrets();
  const webhookPort = await freePort();
  const webhookUrl = `http://127.0.0.1:${webhookPort}`;
  const registry = await startRegistry({
    auth: 'basic',
    notifications: {
      url: `${webhookUrl}/webhooks/distribution`,
      headers: { Authorization: secrets.distributionAuthorization },
      recommended: options.recommendedNotifications ?? false,
    },
  });
  cleanups.push(() => registry.stop());
  const configOptions = {
    registry,
    webhookPort,
    lockSeconds: options.lockSeconds ?? 2,
    concurrency: options.concurrency ?? 2,
    ...(options.attestationKeyFile && { attestationKeyFile: options.attestationKeyFile }),
  };
  const configFile = await writeServiceConfig(dir, secrets, configOptions);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CUSTOMS_CONFIG: configFile,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    CUSTOMS_ADMIN_TOKEN: secrets.adminToken,
    LOG_LEVEL: 'info',
  };
  delete env.CUSTOMS_REGISTRY_AUTH;
  if (options.importAdvisories ?? true) {
    const imported = await runCustoms(['db', 'import', OSV_FIXTURES], {
      env: { DATABASE_URL: postgres.url },
    });
    if (imported.code !== 0) throw new Error(`customs db import failed: ${imported.stderr}`);
  }
  const db = await openDatabase({ url: postgres.url });
  cleanups.push(() => db.close());
  let workerCount = 0;
  const role = async (name: ServiceRole, label: string = name, roleEnv: NodeJS.ProcessEnv = env) => {
    const started = await startRole({
      role: name,
      name: label,
      dir,
      env: roleEnv,
      nodeArgs: options.nodeArgs,
    });
    cleanups.push(() => started.stop());
    return started;
  };
  const workers: RoleProcess[] = [];
  const startWorker = async (worker: WorkerOptions = {}) => {
    const name = `worker-${++workerCount}`;
    let workerEnv = env;
    const ownConcurrency =
      worker.concurrency !== undefined && worker.concurrency !== configOptions.concurrency;
    if (ownConcurrency || worker.pullVia !== undefined) {
      const fileName = `customs-${name}.yaml`;
      const file = await writeServiceConfig(dir, secrets, {
        ...configOptions,
        concurrency: worker.concurrency ?? configOptions.concurrency,
        pullVia: worker.pullVia,
        fileName,
      });
      workerEnv = { ...env, CUSTOMS_CONFIG: file };
    }
    const started = await role('worker', name, workerEnv);
    workers.push(started);
    return started;
  };
  // Started together, as an orchestrator would (migrations take an advisory lock); settled, so every
  // process that did start is registered for cleanup before a failure is thrown.
  const webhook = role('webhook');
  const apiProcess = role('api');
  await settleAll([webhook, apiProcess, ...Array.from({ length: options.workers }, () => startWorker())]);
  return {
    dir,
    registry,
    redis,
    databaseUrl: postgres.url,
    secrets,
    webhook: await webhook,
    webhookUrl,
    api: new CustomsApi((await apiProcess).url ?? '', secrets.adminToken),
    apiProcess: await apiProcess,
    workers,
    startWorker,
    db,
    stop,
  };
}

/**
 * Waits for every promise, then throws the first failure: unlike Promise.all, nothing is still
 * starting when the caller's cleanup runs.
 */
export async function settleAll(work: ReadonlyArray<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
