import type { RegistryConfig } from '@customs/config';
import { requestScan, type RequestedScan, type RequestScanDeps } from '@customs/scans';

/** A push that passed every check: a configured registry and a digest. */
export interface ScanTarget {
  registry: RegistryConfig;
  repository: string;
  digest: string;
  tag: string | null;
}

export interface QueuedScan {
  scanId: string;
  /** `enqueued`: Redis took a new job; `duplicate`: it already held the digest's job. */
  outcome: 'enqueued' | 'duplicate';
  reason: string | null;
}

/**
 * A push requests a scan (@customs/scans) with trigger `webhook`; what came of it is said as the
 * delivery's outcome and reason. The dedupe window (by default as long as the queue keeps finished
 * jobs) makes a re-sent or repeated push answer with the scan that already ran.
 */
export async function queueScan(deps: RequestScanDeps, target: ScanTarget): Promise<QueuedScan> {
  const requested = await requestScan(deps, { ...target, trigger: 'webhook' });
  return {
    scanId: requested.scan.id,
    outcome: requested.queued === null ? 'duplicate' : 'enqueued',
    reason: explain(requested),
  };
}

function explain({ scan, created, queued }: RequestedScan): string | null {
  if (!created && scan.status === 'done') {
    return `scan ${scan.id} of this digest finished at ${scan.finishedAt?.toISOString()}; its result stands`;
  }
  if (!created)
    return queued === null
      ? `scan ${scan.id} is already ${scan.status}`
      : `scan ${scan.id} was ${scan.status} without a job; queued again`;
  // A new scan whose push-lane job id the queue still held (BullMQ keeps finished jobs a while).
  if (queued === 'rescan')
    return `the queue still holds an earlier job for this digest; scan ${scan.id} was queued on the rescan lane`;
  return null;
}
