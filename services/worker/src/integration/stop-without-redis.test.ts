import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFakeRegistry, type FakeRegistry } from '@customs/oci/testing';
import { startWorker } from '../start-worker.js';
import {
  captureLogs,
  eventually,
  requestScan,
  serviceConfig,
  settled,
  startServices,
  type TestServices,
} from './support/environment.js';
import { appLayer, debianBase, imageOf } from './support/fixture-images.js';
import { startStallingProxy, type StallingProxy } from './support/stalling-proxy.js';

describe('stopping a worker while Redis is down', () => {
  let services: TestServices;
  let registry: FakeRegistry;
  let proxy: StallingProxy;
  let image: ReturnType<typeof imageOf>;

  before(async () => {
    services = await startServices();
    image = imageOf([await debianBase('valid'), await appLayer('stopped')]);
    registry = await createFakeRegistry({ images: { 'team/stopped:1': image } });
    proxy = await startStallingProxy(registry.url, image.layers[0]?.digest ?? '');
  });

  after(async () => {
    await proxy?.close();
    await registry?.close();
    await services?.close();
  });

  // BullMQ's own close waited for Redis forever: this test hung until the runner's timeout.
  test(
    'close ends after its grace, with a scan mid-layer, and says the job will be retried elsewhere',
    { timeout: 60_000 },
    async () => {
      const logs = captureLogs();
      const worker = await startWorker({
        config: serviceConfig({ registries: [{ host: proxy.host }], worker: { lockSeconds: 5 } }),
        store: services.store,
        redisUrl: services.redis.url,
        logger: logs.logger,
        closeGraceMs: 300,
      });
      const scan = await requestScan(services, {
        registry: proxy.host,
        repository: 'team/stopped',
        digest: image.manifest.digest,
      });
      await proxy.stalled;
      assert.equal((await services.store.scans.get(scan.id))?.status, 'running');
      await services.redis.kill();
      await eventually(() =>
        logs.entries().some((entry) => entry.msg === 'Redis unavailable; retrying') ? true : undefined,
      );

      await worker.close();

      const stopping = logs
        .entries()
        .find((entry) => String(entry.msg).includes('jobs in flight will be retried by another worker'));
      assert.ok(stopping, logs.text());
      assert.deepEqual([stopping.running, stopping.redis, stopping.level], [1, 'unreachable', 40]);
      assert.equal(logs.entries().at(-1)?.msg, 'worker stopped');
      // The cancelled run did not end the scan: it stays open for the worker that takes the job over.
      const left = await settled(services.store, scan.id, { until: ['queued', 'running'] });
      assert.notEqual(left.status, 'done');
    },
  );
});
