import type { ScanImageJob } from '@customs/queue';
import { enqueueWithin } from './deadline.js';
import type { RequestScanDeps, ScanTarget } from './request-scan.js';

export interface RequestedRescans {
  /** Rescans put on the rescan lane. */
  queued: number;
  /** Images whose scan was already queued or running: that scan stands. */
  alreadyOpen: number;
}

/**
 * A bulk re-scan: one new scan per image, each on the rate-limited rescan lane only (never the push
 * lane), so however many are asked for, a pushed image is scanned ahead of them. An image with an
 * open scan keeps it.
 */
export async function requestRescans(
  deps: Pick<RequestScanDeps, 'store' | 'queues' | 'now' | 'enqueueTimeoutMs'>,
  targets: ReadonlyArray<Omit<ScanTarget, 'trigger' | 'credential' | 'tag'>>,
): Promise<RequestedRescans> {
  const result: RequestedRescans = { queued: 0, alreadyOpen: 0 };
  for (const target of targets) {
    const where = { registry: target.registry.host, repository: target.repository };
    const { scan, created } = await deps.store.scans.openOrCreate(
      { ...where, digest: target.digest, tag: null, trigger: 'rescan' },
      { reuseDoneSeconds: 0 },
    );
    if (!created) {
      result.alreadyOpen += 1;
      continue;
    }
    const job: ScanImageJob = {
      v: 1,
      scanId: scan.id,
      ...where,
      digest: target.digest,
      tag: null,
      requestedAt: deps.now().toISOString(),
    };
    if ((await enqueueWithin(deps.queues.enqueueRescan(job), deps.enqueueTimeoutMs, target.digest)).added)
      result.queued += 1;
  }
  return result;
}
