import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFakeRegistry, type FakeImage, type FakeRegistry } from '@customs/oci/testing';
import { openDatabase } from '@customs/db';
import { startThrowawayRedis } from '@customs/queue/testing';
import { openStore } from '@customs/store';
import { Redis } from 'ioredis';
import { startReconciler } from '../reconciler.js';
import { startWorker } from '../start-worker.js';
import {
  captureLogs,
  requestScan,
  serviceConfig,
  settled,
  startServices,
  type TestServices,
} from './support/environment.js';
import { appLayer, debianBase, imageOf } from './support/fixture-images.js';

describe('Redis losing jobs', () => {
  let services: TestServices;
  let registry: FakeRegistry;
  const images: FakeImage[] = [];

  before(async () => {
    services = await startServices({ appendonly: true });
    const base = await debianBase('postgresql');
    for (const name of ['restarted', 'flushed', 'reconciled'])
      images.push(imageOf([base, await appLayer(name)]));
    registry = await createFakeRegistry({
      images: Object.fromEntries(images.map((image, index) => [`team/app-${index}:1`, image])),
    });
  });

  after(async () => {
    await registry?.close();
    await services?.close();
  });

  const request = (index: number) =>
    requestScan(services, {
      registry: registry.host,
      repository: `team/app-${index}`,
      digest: images[index]?.manifest.digest ?? '',
    });

  async function runWorker<T>(during: () => Promise<T>, reconciler = {}) {
    const logs = captureLogs();
    const worker = await startWorker({
      config: serviceConfig({ registries: [{ host: registry.host }], worker: { lockSeconds: 5 } }),
      store: services.store,
      redisUrl: services.redis.url,
      logger: logs.logger,
      reconciler,
    });
    try {
      return { result: await during(), logs };
    } finally {
      await worker.close();
    }
  }

  test('Redis restarted between the push and the scan (append-only file): the job is still there and runs', async () => {
    const scan = await request(0);
    await services.redis.restart();
    assert.equal((await services.queues.depth()).scan.waiting, 1);
    const { result } = await runWorker(() => settled(services.store, scan.id));
    assert.equal(result.status, 'done', JSON.stringify(result.error));
  });

  test('Redis emptied (FLUSHALL) before the scan ran: the reconciler queues the scan again and it runs', async () => {
    const scan = await request(1);
    await flushAll(services.redis.url);
    assert.equal((await services.queues.depth()).scan.waiting, 0);
    const { result, logs } = await runWorker(() => settled(services.store, scan.id), {
      staleAfterMs: 0,
      intervalMs: 200,
    });
    assert.equal(result.status, 'done', JSON.stringify(result.error));
    const requeued = logs
      .entries()
      .filter((entry) => entry.msg === 'queued scan had no job in Redis; queued it again');
    assert.deepEqual(
      requeued.map((entry) => [entry.scanId, entry.job]),
      [[scan.id, 'missing']],
    );
  });

  test('reconcilers in two processes at once queue a lost scan once, and leave a pending job alone', async () => {
    const reconcile = () =>
      startReconciler({
        store: services.store,
        redisUrl: services.redis.url,
        logger: captureLogs().logger,
        options: { staleAfterMs: 0, intervalMs: 60_000 },
      });
    const [one, two] = [reconcile(), reconcile()];
    try {
      // Each started with a pass; let those end first, so none sees the scan between its creation and its job.
      await Promise.all([one.runOnce(), two.runOnce()]);
      const scan = await request(2);
      assert.deepEqual(await Promise.all([one.runOnce(), two.runOnce()]), [0, 0], 'its job is waiting');
      await flushAll(services.redis.url);
      const counts = await Promise.all([one.runOnce(), two.runOnce()]);
      assert.equal(counts[0] + counts[1], 1);
      assert.equal((await services.queues.depth()).scan.waiting, 1);
      const { result } = await runWorker(() => settled(services.store, scan.id));
      assert.equal(result.status, 'done');
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  test('on an embedded PGlite (customs serve: one process), the reconciler queues a lost scan too', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    const redis = await startThrowawayRedis();
    const store = await openStore(db);
    const reconciler = startReconciler({
      store,
      redisUrl: redis.url,
      logger: captureLogs().logger,
      options: { staleAfterMs: 0, intervalMs: 60_000 },
    });
    try {
      // The pass the reconciler starts with may run before the scan exists; wait for it to end.
      await reconciler.runOnce();
      await store.scans.create({
        registry: registry.host,
        repository: 'team/app-0',
        digest: images[0]?.manifest.digest ?? '',
        trigger: 'webhook',
      });
      assert.equal(await reconciler.runOnce(), 1);
      assert.equal(await reconciler.runOnce(), 0, 'its job is waiting now');
    } finally {
      await reconciler.close();
      await redis.stop();
      await db.close();
    }
  });
});

async function flushAll(url: string): Promise<void> {
  const client = new Redis(url);
  await client.flushall();
  client.disconnect();
}
