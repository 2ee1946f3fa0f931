import type { RegistryConfig } from '@customs/config';
import { InvalidOptionError } from '@customs/errors';
import type { ScanCredential, ScanCredentialStore, ScanImageJob, ScanQueues } from '@customs/queue';
import type { Scan, ScanTrigger, Store } from '@customs/store';
import { enqueueWithin } from './deadline.js';

/** A digest to scan, at a registry already found in the configuration. */
export interface ScanTarget {
  registry: RegistryConfig;
  repository: string;
  digest: string;
  /** The tag the caller named, recorded as pointing to the digest. */
  tag: string | null;
  trigger: ScanTrigger;
  /**
   * A credential the caller was handed for this pull only (Harbor's per-scan robot account): used
   * instead of the configured credentials of the registry, for this repository, by this scan's run.
   */
  credential?: ScanCredential;
}

export interface RequestScanDeps {
  store: Pick<Store, 'scans' | 'images'>;
  queues: Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan'>;
  now(): Date;
  /** Longest wait for Redis; past it the request fails with QUEUE_UNAVAILABLE. */
  enqueueTimeoutMs: number;
  /**
   * A scan of the digest that finished done within this many seconds answers the request (its result
   * stands). 0: only an open (queued or running) scan does, so a finished image is scanned again.
   */
  dedupeWindowSeconds: number;
  /** Where a target's credential waits for the worker (Redis, never the job or the database), and how long. */
  credentials?: { store: Pick<ScanCredentialStore, 'put'>; ttlSeconds: number };
}

export interface RequestedScan {
  scan: Scan;
  /** A new scan row was made; false when an open or recent scan of the digest answered. */
  created: boolean;
  /**
   * Where a new job went: `scan`, the push lane; `rescan`, the rescan lane, because the push lane still
   * holds an earlier finished job of the digest; null, nowhere: the queue already holds the digest's job.
   */
  queued: 'scan' | 'rescan' | null;
}

/**
 * Makes sure a scan of the digest is queued, and resolves only once Redis has the job. The scan row is
 * decided under the store's lock on the digest (any number of processes get one scan): the open scan
 * of the digest, else one finished within the dedupe window, else a new one. The push lane's job id is
 * the digest, so a repeated request yields one job; BullMQ keeps a finished job's id for a while and
 * ignores a new job with it, so a new scan whose push-lane job is refused goes to the rescan lane,
 * whose job ids are the scan's, and runs now; so does an open scan whose push-lane job has ended. If Redis does not answer, QUEUE_UNAVAILABLE is thrown
 * and a new scan row stays `queued`: the worker's reconciler queues it once Redis is back.
 */
export async function requestScan(deps: RequestScanDeps, target: ScanTarget): Promise<RequestedScan> {
  if (target.credential && !deps.credentials) {
    throw new InvalidOptionError('credentials', 'a scan target with a credential needs a credential store');
  }
  const where = { registry: target.registry.host, repository: target.repository };
  const { scan, created } = await deps.store.scans.openOrCreate(
    { ...where, digest: target.digest, tag: target.tag, trigger: target.trigger },
    { reuseDoneSeconds: deps.dedupeWindowSeconds },
  );
  const job: ScanImageJob = {
    v: 1,
    scanId: scan.id,
    ...where,
    digest: target.digest,
    tag: target.tag,
    requestedAt: deps.now().toISOString(),
  };
  const within = <T>(work: Promise<T>) => enqueueWithin(work, deps.enqueueTimeoutMs, target.digest);
  // Stored before the job exists, so no worker runs the scan without it; an open scan (reused) finds it
  // on its next attempt; a finished one (reused) needs none.
  if (target.credential && deps.credentials && scan.status !== 'done') {
    const key = { scanId: scan.id, ...where };
    await within(deps.credentials.store.put(key, target.credential, deps.credentials.ttlSeconds));
  }
  let queued: RequestedScan['queued'] = null;
  const pushed = await within(deps.queues.enqueueScan(job));
  if (pushed.added) queued = 'scan';
  // An open scan whose push-lane job already ended (a worker killed on the last attempt, a failure the
  // scan row missed) has no job to run it: without this it stays pending until the reconciler.
  else if (
    (created || (pushed.finished === true && isOpen(scan))) &&
    (await within(deps.queues.enqueueRescan(job))).added
  )
    queued = 'rescan';
  if (target.tag !== null) await deps.store.images.recordTag(where, target.tag, target.digest);
  return { scan, created, queued };
}

/** Still to run: a finished (done, failed) scan that answered the request needs no job. */
function isOpen(scan: Scan): boolean {
  return scan.status === 'queued' || scan.status === 'running';
}
