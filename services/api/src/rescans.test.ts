import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IndexedImage } from '@customs/indexer';
import { createRedisConnection, startScanWorkers } from '@customs/queue';
import { requestScan } from '@customs/scans';
import request from 'supertest';
import { repositoryGlob } from './routes/rescan-routes.js';
import { bearer, registryConfig, startHarness, type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';

const REGISTRY = registryConfig('registry.test');
const BULK = 200;

/** Test-made manifests (no real image behind them): the workers below record jobs, they do not pull. */
function image(digest: string): IndexedImage {
  return {
    reference: `registry.test/x@${digest}`,
    manifestDigest: digest,
    platform: { os: 'linux', architecture: 'amd64' },
    distro: null,
    layers: [],
    packages: [],
    warnings: [],
    incomplete: [],
    imageConfig: null,
  };
}

const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

describe('POST /v1/rescans', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness('pglite');
    for (let n = 0; n < BULK; n += 1)
      await harness.store.images.save(
        image(digestOf(n)),
        { registry: REGISTRY.host, repository: `bulk/app-${n % 20}` },
        { configDigest: null, analyzers: [] },
      );
    await harness.store.images.save(
      image(digestOf(BULK + 1)),
      { registry: 'gone.example', repository: 'bulk/app-0' },
      { configDigest: null, analyzers: [] },
    );
  });
  after(() => harness.close());

  it('matches repositories with * within a segment and ** across them', () => {
    assert.ok(repositoryGlob('bulk/*').test('bulk/app-1'));
    assert.ok(!repositoryGlob('bulk/*').test('bulk/a/b'));
    assert.ok(repositoryGlob('**').test('bulk/a/b'));
    assert.ok(!repositoryGlob('bulk.app').test('bulkxapp'));
  });

  it('is for admins only', async () => {
    const app = harness.app({ registries: [REGISTRY] });
    const response = await request(app)
      .post('/v1/rescans')
      .set(bearer(harness.tokens.read))
      .send({ repositories: '**' });
    assert.equal(response.status, 403);
  });

  it('queues 200 rescans on the rescan lane, and a push is scanned ahead of them', async () => {
    const app = harness.app({ registries: [REGISTRY] });
    const response = await request(app)
      .post('/v1/rescans')
      .set(bearer(harness.tokens.admin))
      .send({ repositories: 'bulk/*' });
    assert.equal(response.status, 202, JSON.stringify(response.body));
    assertContract('requestRescans', 202, response.body);
    // The image of a registry no longer configured is left out: it could not be pulled.
    assert.deepEqual(response.body, { matched: BULK, queued: BULK, alreadyOpen: 0 });
    assert.equal((await harness.queues.depth()).rescan.waiting, BULK);

    // A push after them, as the webhook service asks for it.
    await requestScan(
      {
        store: harness.store,
        queues: harness.queues,
        now: () => new Date(),
        enqueueTimeoutMs: 1_000,
        dedupeWindowSeconds: 0,
      },
      {
        registry: REGISTRY,
        repository: 'team/pushed',
        digest: digestOf(BULK + 2),
        tag: 'v1',
        trigger: 'webhook',
      },
    );

    const order: string[] = [];
    let pushed: () => void = () => undefined;
    const pushDone = new Promise<void>((resolve) => (pushed = resolve));
    const connection = createRedisConnection(harness.redis.url);
    const workers = startScanWorkers(
      connection,
      async (job, context) => {
        order.push(`${context.queue}:${job.repository}`);
        if (job.repository === 'team/pushed') pushed();
      },
      { concurrency: 1, rescanRate: { max: 10, durationMs: 60_000 } },
    );
    try {
      await pushDone;
    } finally {
      await workers.close(1_000);
      connection.disconnect();
    }
    const position = order.indexOf('scan:team/pushed');
    assert.ok(
      position >= 0 && position <= 10,
      `the push ran after at most one rate window of rescans: ${position}`,
    );
    assert.ok(
      order.filter((entry) => entry.startsWith('rescan:')).length <= 10,
      'the rescan lane is rate-limited',
    );
  });
});
