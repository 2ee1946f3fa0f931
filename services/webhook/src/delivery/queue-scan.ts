import type { RegistryConfig } from '@customs/config';
import { QueueUnavailableError, type ScanQueues } from '@customs/queue';
import type { Scan, Store } from '@customs/store';

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

export interface QueueScanDeps {
  store: Pick<Store, 'scans' | 'images'>;
  queues: Pick<ScanQueues, 'enqueueScan'>;
  now(): Date;
  /** Longest wait for Redis before the sender is told to retry. */
  enqueueTimeoutMs: number;
  /** A finished scan younger than this answers a push of its digest (BullMQ keeps its job as long). */
  dedupeWindowSeconds: number;
}

/**
 * Makes sure a scan of the digest is queued, and resolves only once Redis has the job. The scan row
 * is the open scan of the digest if there is one, else a scan finished within the dedupe window (its
 * result stands), else a new one (trigger `webhook`). The job id is the digest, so a re-sent or
 * duplicated event yields one job. If Redis does not answer, this throws QUEUE_UNAVAILABLE and a new
 * scan row stays `queued`: the sender retries (and finds it), and the worker's reconciler queues
 * it once Redis is back even if the sender never does.
 */
export async function queueScan(deps: QueueScanDeps, target: ScanTarget): Promise<QueuedScan> {
  const where = { registry: target.registry.host, repository: target.repository };
  const { scan, created } = await deps.store.scans.openOrCreate(
    { ...where, digest: target.digest, tag: target.tag, trigger: 'webhook' },
    { reuseDoneSeconds: deps.dedupeWindowSeconds },
  );
  const { added } = await withDeadline(
    deps.queues.enqueueScan({
      v: 1,
      scanId: scan.id,
      ...where,
      digest: target.digest,
      tag: target.tag,
      requestedAt: deps.now().toISOString(),
    }),
    deps.enqueueTimeoutMs,
    target.digest,
  );
  if (target.tag !== null) await deps.store.images.recordTag(where, target.tag, target.digest);
  return {
    scanId: scan.id,
    outcome: added ? 'enqueued' : 'duplicate',
    reason: explain(added, created, scan),
  };
}

function explain(added: boolean, created: boolean, scan: Scan): string | null {
  if (!created && scan.status === 'done') {
    return `scan ${scan.id} of this digest finished at ${scan.finishedAt?.toISOString()}; its result stands`;
  }
  if (!created)
    return added
      ? `scan ${scan.id} was ${scan.status} without a job; queued again`
      : `scan ${scan.id} is already ${scan.status}`;
  return added
    ? null
    : // BullMQ keeps a finished job's id for a while and ignores a new job with it; the worker's
      // reconciler finds this queued scan without a pending job, removes the old job and queues it.
      `the queue still holds an earlier job for this digest; scan ${scan.id} stays queued for the reconciler`;
}

async function withDeadline<T>(work: Promise<T>, ms: number, digest: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueueUnavailableError(`queue a scan of ${digest} within ${ms} ms`, null)),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
