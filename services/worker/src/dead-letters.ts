import type { DeadLetterInfo } from '@customs/queue';
import type { Store } from '@customs/store';
import type { Logger } from 'pino';
import { classifyFailure, failureLine } from './failure.js';
import { announceScanFailure, type ScanFailedPublisher } from './scan-failed-event.js';

export interface DeadLetterDeps {
  store: Pick<Store, 'deadLetters' | 'scans'>;
  logger: Logger;
  publishScanFailed?: ScanFailedPublisher;
}

/**
 * Keeps a job that will not run again for an operator, and makes sure its scan does not stay open:
 * a job can die without the handler seeing it (stalled more often than BullMQ allows).
 */
export async function recordDeadLetter(deps: DeadLetterDeps, letter: DeadLetterInfo): Promise<void> {
  const failure = classifyFailure(letter.error);
  await deps.store.deadLetters.record({
    queue: letter.queue,
    jobId: letter.jobId,
    payload: letter.data,
    error: failureLine(failure),
    attempts: letter.attempts,
  });
  const scanId = scanIdOf(letter.data);
  const scan = scanId ? await deps.store.scans.get(scanId) : null;
  if (scan && (scan.status === 'queued' || scan.status === 'running')) {
    await deps.store.scans.failed(scan.id, { code: failure.code, message: failure.message }, true);
    const failed = { scanId: scan.id, digest: scan.digest, repository: scan.repository };
    await announceScanFailure(deps.publishScanFailed, deps.logger, failed, failure, new Date());
  }
  deps.logger.error(
    { queue: letter.queue, jobId: letter.jobId, scanId, code: failure.code, attempts: letter.attempts },
    'dead letter recorded',
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The scan a dead job was for, when its payload is intact enough to say. */
function scanIdOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || !('scanId' in data)) return null;
  return typeof data.scanId === 'string' && UUID.test(data.scanId) ? data.scanId : null;
}
