import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceRuntime } from './runtime.js';

export type Role = 'webhook' | 'api' | 'worker';

export interface RunningRole {
  role: Role;
  /** Where it listens, for the roles that do. */
  url: string | null;
  close(): Promise<void>;
}

/**
 * Starts one role of Customs on an open runtime; `serve` starts all three on one. Each role imports
 * only its own code, so a worker process does not load (or pay start-up CPU for) the API's.
 */
export async function startRole(role: Role, runtime: ServiceRuntime): Promise<RunningRole> {
  const { config, store, queues, logger } = runtime;
  switch (role) {
    case 'webhook': {
      const { createWebhookApp } = await import('@customs/webhook');
      const app = createWebhookApp({ config, store, queues, logger: logger.child({ role }) });
      return listen(role, app, config.webhook.port);
    }
    case 'api': {
      const [{ createApiApp }, { createVulnDbReader }] = await Promise.all([
        import('@customs/api'),
        import('@customs/vulndb'),
      ]);
      const vulnReader = await createVulnDbReader(runtime.db);
      const app = createApiApp({ config, store, queues, vulnReader, logger: logger.child({ role }) });
      return listen(role, app, config.api.port);
    }
    case 'worker': {
      const { startWorker } = await import('@customs/worker');
      const worker = await startWorker({
        config,
        store,
        redisUrl: runtime.redisUrl,
        logger: logger.child({ role }),
      });
      return { role, url: null, close: () => worker.close() };
    }
  }
}

async function listen(
  role: Role,
  app: Parameters<typeof createServer>[1],
  port: number,
): Promise<RunningRole> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    role,
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
