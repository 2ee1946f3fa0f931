import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { ScanImageJob } from '@customs/queue';
import type { Store } from '@customs/store';
import { requestScan, type RequestScanDeps, type ScanTarget } from './request-scan.js';
import { memoryQueues, memoryStore, registryConfig } from './test-support/fixtures.js';

const REGISTRY = registryConfig('registry.example:5000');
let store: Store;
let digests = 0;

before(async () => {
  store = await memoryStore();
});
after(() => store.db.close());

/** Each test scans its own digest: the scans table is shared. */
function target(tag: string | null = null): ScanTarget {
  digests += 1;
  const digest = `sha256:${digests.toString(16).padStart(64, '0')}`;
  return { registry: REGISTRY, repository: 'team/app', digest, tag, trigger: 'webhook' };
}

function deps(
  queues: RequestScanDeps['queues'],
  dedupeWindowSeconds: number,
  enqueueTimeoutMs = 5_000,
): RequestScanDeps {
  return { store, queues, now: () => new Date(), enqueueTimeoutMs, dedupeWindowSeconds };
}

describe('requestScan', () => {
  it('queues a new scan on the push lane, the digest as the job id, and records the tag', async () => {
    const queues = memoryQueues();
    const wanted = target('1.0');
    const requested = await requestScan(deps(queues, 0), wanted);
    assert.equal(requested.created, true);
    assert.equal(requested.queued, 'scan');
    assert.equal(requested.scan.status, 'queued');
    assert.equal(requested.scan.trigger, 'webhook');
    assert.deepEqual([...queues.scan.keys()], [wanted.digest]);
    assert.equal(queues.scan.get(wanted.digest)?.scanId, requested.scan.id);
    const where = { registry: REGISTRY.host, repository: 'team/app' };
    assert.equal(await store.images.resolveTag(where, '1.0'), wanted.digest);
  });

  it('answers an open scan of the digest with that scan and no new job', async () => {
    const queues = memoryQueues();
    const wanted = target();
    const first = await requestScan(deps(queues, 0), wanted);
    const again = await requestScan(deps(queues, 0), { ...wanted, trigger: 'api' });
    assert.deepEqual([again.scan.id, again.created, again.queued], [first.scan.id, false, null]);
    assert.equal(queues.scan.size, 1);
    assert.equal(queues.rescan.size, 0);
  });

  it('reuses a scan finished within the dedupe window, and scans again past it', async () => {
    const queues = memoryQueues();
    const wanted = target();
    const first = await requestScan(deps(queues, 3_600), wanted);
    await store.scans.finished(first.scan.id, { stats: { layersCached: 0, layersFetched: 1 } });
    const within = await requestScan(deps(queues, 3_600), wanted);
    assert.deepEqual([within.scan.id, within.scan.status, within.created], [first.scan.id, 'done', false]);
    const past = await requestScan(deps(queues, 0), wanted);
    assert.equal(past.created, true);
    assert.notEqual(past.scan.id, first.scan.id);
  });

  it('queues an open scan again on the rescan lane when its push-lane job has ended', async () => {
    const queues = memoryQueues();
    const wanted = target();
    const first = await requestScan(deps(queues, 0), wanted);
    // A retry was scheduled (the row is back to queued, with the error) and the job then died.
    await store.scans.failed(first.scan.id, { code: 'REGISTRY_UNAVAILABLE', message: 'down' }, false);
    const ended = {
      ...queues,
      enqueueScan: async (job: ScanImageJob) => ({ ...(await queues.enqueueScan(job)), finished: true }),
    };
    const again = await requestScan(deps(ended, 0), wanted);
    assert.deepEqual([again.scan.id, again.created, again.queued], [first.scan.id, false, 'rescan']);
    assert.deepEqual([...queues.rescan.keys()], [`rescan-${first.scan.id}`]);
    // While that job is pending, another push adds nothing.
    const third = await requestScan(deps(ended, 0), wanted);
    assert.equal(third.queued, null);
    assert.equal(queues.rescan.size, 1);
    // A done scan reused within the dedupe window needs no job, whatever the push lane holds.
    await store.scans.finished(first.scan.id, {});
    const later = memoryQueues();
    const endedLater = {
      ...later,
      enqueueScan: async (job: ScanImageJob) => ({
        ...(await later.enqueueScan(job)),
        added: false,
        finished: true,
      }),
    };
    const reused = await requestScan(deps(endedLater, 3_600), wanted);
    assert.deepEqual([reused.scan.id, reused.created, reused.queued], [first.scan.id, false, null]);
    assert.equal(later.rescan.size, 0);
  });

  it('sends a new scan to the rescan lane when the push lane still holds the digest’s finished job', async () => {
    const queues = memoryQueues();
    const wanted = target();
    const first = await requestScan(deps(queues, 0), wanted);
    await store.scans.finished(first.scan.id, {});
    const second = await requestScan(deps(queues, 0), wanted);
    assert.equal(second.queued, 'rescan');
    assert.deepEqual([...queues.rescan.keys()], [`rescan-${second.scan.id}`]);
    assert.equal(queues.rescan.get(`rescan-${second.scan.id}`)?.digest, wanted.digest);
    assert.equal(queues.scan.get(wanted.digest)?.scanId, first.scan.id);
  });

  it('fails with QUEUE_UNAVAILABLE when Redis does not answer in time; the scan stays queued', async () => {
    const silent: RequestScanDeps['queues'] = {
      enqueueScan: () => new Promise(() => undefined),
      enqueueRescan: () => new Promise(() => undefined),
    };
    const wanted = target('2.0');
    await assert.rejects(requestScan(deps(silent, 0, 20), wanted), (error) =>
      isCustomsError(error, 'QUEUE_UNAVAILABLE'),
    );
    assert.equal((await store.scans.latestFor(wanted.digest))?.status, 'queued');
  });
});
