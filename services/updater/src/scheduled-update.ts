import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceConfig } from '@customs/config';
import type { Database } from '@customs/db';
import type { RejudgeQueue } from '@customs/queue';
import { cachedPackageKinds, type JudgedImages } from '@customs/store';
import { digestsToRejudge } from '@customs/verdicts';
import {
  ecosystemsInUse,
  ecosystemsOfImages,
  updateVulnDb,
  type UpdateOptions,
  type UpdateReport,
} from '@customs/vulndb';
import type { Logger } from 'pino';
import { withUpdateLock } from './update-lock.js';

export interface ScheduledUpdateDeps {
  config: ServiceConfig;
  db: Database;
  images: JudgedImages;
  rejudge: RejudgeQueue;
  logger: Logger;
  /** Cancels a running update when the updater stops. */
  signal?: AbortSignal;
}

export type UpdateRunOutcome =
  | { status: 'skipped'; reason: string }
  | { status: 'updated'; report: UpdateReport; rejudge: { digests: number; jobs: number } };

/**
 * One scheduled update: under the update lock, the configured sources are fetched and imported in
 * one transaction (a failure leaves the previous data version serving, and is thrown to be logged
 * and kept by BullMQ); then the digests the change touches are queued for re-judging.
 */
export async function runScheduledUpdate(deps: ScheduledUpdateDeps): Promise<UpdateRunOutcome> {
  const { logger } = deps;
  let taken = false;
  const locked = await withUpdateLock(deps.db, async () => {
    taken = true;
    logger.info('update lock taken');
    return update(deps);
  }).finally(() => {
    // Logged once the lock's transaction ended: two processes' lock spans in the logs never overlap.
    if (taken) logger.info('update lock released');
  });
  if (!locked.ran) {
    logger.info('another updater holds the update lock; this run is skipped');
    return { status: 'skipped', reason: 'another updater holds the update lock' };
  }
  const report = locked.result;
  const digests = await digestsToRejudge(report.changedPackages, deps.images);
  const jobs = await deps.rejudge.enqueue(
    digests,
    report.version.version,
    deps.config.updater.rejudgeBatchSize,
  );
  logger.info(
    {
      dataVersion: report.version.version,
      changedPackages: report.changedPackages?.length ?? 'all (full load)',
      digests: digests.length,
      jobs,
    },
    'images queued for re-judging',
  );
  return { status: 'updated', report, rejudge: { digests: digests.length, jobs } };
}

async function update(deps: ScheduledUpdateDeps): Promise<UpdateReport> {
  const settings = deps.config.updater;
  // The ecosystems of the cached images and of the data held, so a first image of a new kind is covered.
  const seen = ecosystemsOfImages(await cachedPackageKinds(deps.db));
  const ecosystems = settings.ecosystems ?? (await ecosystemsInUse(deps.db, seen));
  const options: UpdateOptions = {
    ecosystems,
    alpineBranches: settings.alpineBranches,
    mirrors: settings.mirrors,
    ...(!settings.upstream && { upstream: { osv: null, alpineSecdb: null } }),
    ...(settings.caFile && { http: { caFile: settings.caFile } }),
    workDir: settings.workDir ?? join(tmpdir(), 'customs-updater'),
    onProgress: (progress) => {
      if (progress.phase === 'import') deps.logger.debug(progress, 'importing');
    },
    ...(deps.signal && { signal: deps.signal }),
  };
  deps.logger.info({ ecosystems, mirrors: settings.mirrors, upstream: settings.upstream }, 'update started');
  const report = await updateVulnDb(deps.db, options);
  deps.logger.info(
    {
      dataVersion: report.version.version,
      advisories: report.version.advisories,
      changed: report.version.changed,
      sources: report.sources.map((source) => ({
        source: source.source,
        mode: source.mode,
        location: source.location,
        ...source.counts,
      })),
      durationMs: report.finishedAt.getTime() - report.startedAt.getTime(),
    },
    'update finished',
  );
  return report;
}
