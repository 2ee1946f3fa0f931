import type { ServiceRuntime } from './runtime.js';

export type Role = 'webhook' | 'api' | 'worker' | 'updater';

export interface RunningRole {
  role: Role;
  /** Where it listens as bound (`http://[::]:8080` on every interface), for the roles that do. */
  url: string | null;
  close(): Promise<void>;
}

/**
 * Starts one role of Customs on an open runtime with the role's own start function (its logger, its
 * server timeouts, its Redis connection); `serve` starts webhook, api and worker on one runtime. Each role imports
 * only its own code, so a worker process does not load (or pay start-up CPU for) the API's.
 */
export async function startRole(role: Role, runtime: ServiceRuntime): Promise<RunningRole> {
  const { config, store, redisUrl, log } = runtime;
  switch (role) {
    case 'webhook': {
      const { startWebhookService } = await import('@customs/webhook');
      const service = await startWebhookService({ config, store, redisUrl, log });
      return { role, url: service.url, close: () => service.close() };
    }
    case 'api': {
      const { startApiService } = await import('@customs/api');
      const service = await startApiService({ config, store, redisUrl, log });
      return { role, url: service.url, close: () => service.close() };
    }
    case 'worker': {
      const { createWorkerLogger, startWorker } = await import('@customs/worker');
      const worker = await startWorker({ config, store, redisUrl, logger: createWorkerLogger(log) });
      return { role, url: null, close: () => worker.close() };
    }
    case 'updater': {
      const { createUpdaterLogger, startUpdater } = await import('@customs/updater');
      const updater = await startUpdater({ config, store, redisUrl, logger: createUpdaterLogger(log) });
      return { role, url: null, close: () => updater.close() };
    }
  }
}
