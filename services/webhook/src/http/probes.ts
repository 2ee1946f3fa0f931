import { describeError } from '@customs/errors';
import type { ScanQueues } from '@customs/queue';
import type { Store } from '@customs/store';
import { Router } from 'express';

export interface ProbeDeps {
  db: Pick<Store['db'], 'query'>;
  queues: Pick<ScanQueues, 'ping'>;
  /** Deadline of each dependency check. Default 2 s. */
  timeoutMs?: number;
}

/**
 * `/healthz` (the process answers) and `/readyz` (PostgreSQL and Redis answer a real round trip within
 * the deadline), shaped like the API's, so one orchestrator probe fits both; served on the webhook's
 * own port.
 */
export function probeRoutes(deps: ProbeDeps): Router {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const [postgres, redis] = await Promise.all([
      check('PostgreSQL', () => deps.db.query('select 1'), timeoutMs),
      check('Redis', () => deps.queues.ping(), timeoutMs),
    ]);
    const down = [...(postgres.ok ? [] : ['postgres']), ...(redis.ok ? [] : ['redis'])];
    response
      .status(down.length === 0 ? 200 : 503)
      .json({ status: down.length === 0 ? 'ready' : 'unavailable', checks: { postgres, redis }, down });
  });
  return router;
}

async function check(
  name: string,
  probe: () => Promise<unknown>,
  ms: number,
): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([probe(), deadline]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}
