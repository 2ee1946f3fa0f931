import { readFile } from 'node:fs/promises';
import type { ServiceConfig } from '@customs/config';
import { readPolicyFile, type Policy, type PolicySet } from '@customs/policy';
import { startRejudgeWorker } from '@customs/queue';
import type { Store, VerdictChange } from '@customs/store';
import { createDataVersionSource, createRejudger, type Rejudger } from '@customs/verdicts';
import { createVulnDbReader } from '@customs/vulndb';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RejudgingDeps {
  config: ServiceConfig;
  store: Store;
  logger: Logger;
  /** Called once per recorded verdict change, after it was committed (outbound notifications). */
  onVerdictChange?(change: VerdictChange): Promise<void> | void;
}

/**
 * Judging with the data as it is now and recording the verdict: after each scan (the baseline a
 * later update compares with) and for each batch the updater queues. The data version is looked up
 * on every call, so a batch queued right after an update is judged with that update's data.
 */
export async function createWorkerRejudger(deps: RejudgingDeps): Promise<Rejudger> {
  const reader = await createVulnDbReader(deps.store.db);
  return createRejudger({
    store: deps.store,
    vex: deps.store.vex,
    reader,
    policy: await workerPolicy(deps.config.policy),
    dataVersion: createDataVersionSource(reader, {
      pollMs: 0,
      clock: () => performance.now(),
      onError: () => undefined,
    }),
    now: () => new Date(),
    ...(deps.onVerdictChange && { onVerdictChange: deps.onVerdictChange }),
    onHookError: (error, change) =>
      deps.logger.error(
        {
          digest: change.digest,
          changeId: change.id,
          error: error instanceof Error ? error.message : String(error),
        },
        'verdict change recorded, but its hook failed',
      ),
  });
}

/** Consumes the re-judging lane: `config.worker.rejudgeConcurrency` batches at a time per process. */
export function startRejudging(
  connection: Redis,
  rejudger: Rejudger,
  deps: Pick<RejudgingDeps, 'config' | 'logger'>,
  onError: (error: Error) => void,
): { close(): Promise<void> } {
  return startRejudgeWorker(
    connection,
    async (job, jobId) => {
      const started = performance.now();
      const outcome = await rejudger.judge(job.digests, 'data-update');
      deps.logger.info(
        {
          jobId,
          dataVersion: job.dataVersion,
          judged: outcome.judged,
          baselines: outcome.baselines,
          changes: outcome.changes.map((c) => `${c.digest} ${c.oldVerdict} -> ${c.newVerdict}`),
          durationMs: Math.round(performance.now() - started),
        },
        'images re-judged',
      );
    },
    {
      concurrency: deps.config.worker.rejudgeConcurrency,
      lockDurationMs: deps.config.worker.lockSeconds * 1000,
      onError,
    },
  );
}

/**
 * The policy the API judges by: its file's rules when `policy.file` is set (read when the worker
 * starts; a changed file reaches re-judging with the worker's next start), else the configuration's.
 */
async function workerPolicy(policy: ServiceConfig['policy']): Promise<Policy | PolicySet> {
  const { file, ...defaults } = policy;
  return file === undefined ? defaults : readPolicyFile(await readFile(file, 'utf8'), file, defaults);
}
