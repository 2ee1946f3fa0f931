import type { ServiceConfig } from '@customs/config';
import type { Indexer } from '@customs/indexer';
import { formatPlatform, type ResolvedImage } from '@customs/oci';
import type { ScanHandler, ScanHandlerContext, ScanImageJob } from '@customs/queue';
import type { ArtifactStore, IndexChild, ScanImage, ScanResult, Store } from '@customs/store';
import type { Logger } from 'pino';
import { recordDeadLetter } from './dead-letters.js';
import { ScanNotFoundError } from './errors.js';
import { classifyFailure, FinalScanFailure } from './failure.js';
import { indexImage } from './index-image.js';
import { jobImage, openJobImage, type RegistryClientTuning } from './registry-access.js';
import type { SbomRenderer } from './sboms.js';

export interface ScanHandlerDeps {
  /** Registries (with credentials) are read from here each time a job runs. */
  config: Pick<ServiceConfig, 'registries'>;
  store: Pick<Store, 'scans' | 'deadLetters'>;
  /** Where SBOMs go: `store.artifacts`, or one backed by S3. */
  artifacts: Pick<ArtifactStore, 'put'>;
  /** Built over the shared layer cache (`store.layers`). */
  indexer: Indexer;
  sboms: readonly SbomRenderer[];
  logger: Logger;
  registryClient?: RegistryClientTuning;
  now(): number;
}

/**
 * What a worker does with one scan job: pull the image (every runnable platform of an index), index
 * it through the layer cache, store inventory and SBOMs, and mark the scan done. A failure marks the
 * scan: retryable ones are thrown as they are (BullMQ retries with backoff), final ones and the last
 * attempt fail the scan with the error's code, and final ones are not retried.
 */
export function createScanHandler(deps: ScanHandlerDeps): ScanHandler {
  return async (job, context) => {
    const started = deps.now();
    const log = deps.logger.child({
      scanId: job.scanId,
      image: jobImage(job),
      jobId: context.jobId,
      attempt: context.attempt,
    });
    try {
      const result = await runScan(deps, job, context, log);
      if (result === null) return;
      await deps.store.scans.finished(job.scanId, result);
      log.info({ ...result.stats, durationMs: deps.now() - started }, 'scan done');
    } catch (error) {
      await fail(deps, job, context, log, error, deps.now() - started);
    }
  };
}

/** The scan itself, up to what is stored with its `done`; null when the scan was already done. */
async function runScan(
  deps: ScanHandlerDeps,
  job: ScanImageJob,
  context: ScanHandlerContext,
  log: Logger,
): Promise<ScanResult | null> {
  const scan = await deps.store.scans.get(job.scanId);
  if (scan === null) throw new ScanNotFoundError(job.scanId, jobImage(job));
  if (scan.status === 'done') {
    log.info('scan already done; nothing to do');
    return null;
  }
  await deps.store.scans.started(job.scanId);
  const source = openJobImage(deps.config.registries, job, deps.registryClient);
  try {
    const images = await source.resolve({ kind: 'all' });
    const stats = { layersCached: 0, layersFetched: 0 };
    const indexed: ScanImage[] = [];
    const where = { registry: job.registry, repository: job.repository };
    for (const image of images) {
      const one = await indexImage({ ...deps, logger: log }, image, where, context.signal);
      indexed.push(one.result);
      stats.layersCached += one.stats.layersCached;
      stats.layersFetched += one.stats.layersFetched;
    }
    const children = childrenOf(images);
    const index = children.length > 0 ? { digest: job.digest, children } : undefined;
    return { stats, images: indexed, ...(index && { index }) };
  } finally {
    await source.close();
  }
}

/** The platform manifests an index (the job's digest) was resolved to, as the store links them. */
function childrenOf(images: readonly ResolvedImage[]): IndexChild[] {
  return images.flatMap((image) =>
    image.indexDigest !== null && image.manifestDigest !== null
      ? [
          {
            digest: image.manifestDigest,
            platform: image.platform ? formatPlatform(image.platform) : 'unknown',
          },
        ]
      : [],
  );
}

/** Records the failure on the scan, then tells BullMQ whether to try again. */
async function fail(
  deps: ScanHandlerDeps,
  job: ScanImageJob,
  context: ScanHandlerContext,
  log: Logger,
  error: unknown,
  durationMs: number,
): Promise<never> {
  const failure = classifyFailure(error);
  const over = !failure.retryable || context.lastAttempt;
  await deps.store.scans.failed(job.scanId, { code: failure.code, message: failure.message }, over);
  log[over ? 'error' : 'warn'](
    { code: failure.code, error: failure.message, retryable: failure.retryable, durationMs },
    over ? 'scan failed' : 'scan failed; will retry',
  );
  if (failure.retryable) throw error;
  const final = new FinalScanFailure(failure, error);
  // BullMQ's own dead-letter hook only fires once the attempts are used up; a final failure before
  // then is recorded here, so every job that will not run again leaves exactly one dead letter.
  if (!context.lastAttempt) {
    await recordDeadLetter(deps, {
      queue: context.queue,
      jobId: context.jobId,
      data: job,
      error: final,
      attempts: context.attempt,
    });
  }
  throw final;
}
