import type { ScanHandler, ScanHandlerContext, ScanImageJob } from '@customs/queue';
import { imageName, runScan, type RunScanDeps } from '@customs/scans';
import type { Store } from '@customs/store';
import type { Logger } from 'pino';
import { recordDeadLetter } from './dead-letters.js';
import { classifyFailure, FinalScanFailure } from './failure.js';
import { announceScanFailure, type ScanFailedPublisher } from './scan-failed-event.js';

export interface ScanHandlerDeps extends Omit<RunScanDeps, 'store' | 'logger'> {
  store: Pick<Store, 'scans' | 'deadLetters'>;
  logger: Logger;
  /** Told of every scan that fails for good (`scan.failed`); absent: nobody is. */
  publishScanFailed?: ScanFailedPublisher;
  /** Judges and records the scanned digest's verdict: the baseline a later data update compares with. */
  recordVerdict?(digest: string): Promise<void>;
}

/**
 * What a worker does with one scan job: the scan use-case's run-and-publish (@customs/scans), and
 * what its outcome means for BullMQ. A failure marks the scan: retryable ones are thrown as they are
 * (BullMQ retries with backoff), final ones and the last attempt fail the scan with the error's code,
 * and final ones are not retried.
 */
export function createScanHandler(deps: ScanHandlerDeps): ScanHandler {
  return async (job, context) => {
    const started = deps.now();
    const log = deps.logger.child({
      scanId: job.scanId,
      image: imageName(job),
      jobId: context.jobId,
      attempt: context.attempt,
    });
    try {
      const run = await runScan({ ...deps, logger: log }, job, context.signal);
      if (run.status === 'already-done') log.info('scan already done; nothing to do');
      else log.info({ ...run.stats, durationMs: deps.now() - started }, 'scan done');
    } catch (error) {
      await fail(deps, job, context, log, error, deps.now() - started);
      return;
    }
    await recordVerdict(deps, job.digest, log);
  };
}

/** After a published scan; a failure here never fails the scan (the next update judges it anyway). */
async function recordVerdict(deps: ScanHandlerDeps, digest: string, log: Logger): Promise<void> {
  try {
    await deps.recordVerdict?.(digest);
  } catch (error) {
    log.warn(
      { error: error instanceof Error ? error.message : String(error) },
      'scan done, but its verdict could not be recorded; the next data update will judge it',
    );
  }
}

/** Records the failure on the scan, then tells BullMQ whether to try again. */
async function fail(
  deps: ScanHandlerDeps,
  job: ScanImageJob,
  context: ScanHandlerContext,
  log: Logger,
  error: unknown,
  durationMs: number,
): Promise<void> {
  const failure = classifyFailure(error);
  if (failure.code === 'NOT_AN_IMAGE') {
    // Registries notify about artifacts (our own SBOM and attestation referrers among them) as they
    // do about images: recorded on the scan, but neither a failure to announce nor a dead letter.
    await deps.store.scans.failed(job.scanId, { code: failure.code, message: failure.message }, true);
    log.info({ code: failure.code, error: failure.message }, 'not a container image; nothing to scan');
    return;
  }
  const over = !failure.retryable || context.lastAttempt;
  await deps.store.scans.failed(job.scanId, { code: failure.code, message: failure.message }, over);
  log[over ? 'error' : 'warn'](
    { code: failure.code, error: failure.message, retryable: failure.retryable, durationMs },
    over ? 'scan failed' : 'scan failed; will retry',
  );
  if (over) {
    const scan = { scanId: job.scanId, digest: job.digest, repository: job.repository };
    await announceScanFailure(deps.publishScanFailed, log, scan, failure, new Date(deps.now()));
  }
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
