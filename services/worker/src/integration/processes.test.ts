import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFakeRegistry, type FakeImage, type FakeRegistry } from '@customs/oci/testing';
import { eventually, requestScan, settled, startServices, type TestServices } from './support/environment.js';
import {
  appLayer,
  debianBase,
  expectedPackages,
  imageOf,
  type StatusName,
} from './support/fixture-images.js';
import { startStallingProxy, type StallingProxy } from './support/stalling-proxy.js';
import { spawnWorker, writeConfig, type WorkerProcess } from './support/worker-processes.js';

/**
 * Worker processes over one Redis and one database, torn down after the describe block that calls
 * this. Each case gets its own: BullMQ paces its stalled-job check per queue by whichever worker ran it
 * last, so the workers of another case (another lockSeconds) would slow a recovery down.
 */
function processEnvironment() {
  let current: TestServices | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  before(async () => {
    current = await startServices();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await current?.close();
  });
  const services = (): TestServices => {
    if (!current) throw new Error('the services are not started yet');
    return current;
  };
  return {
    services,
    cleanup: (step: () => Promise<void>) => cleanups.push(step),
    async configFile(registryHost: string, worker: { concurrency: number; lockSeconds: number }) {
      const file = await writeConfig({
        database: services().postgres.url,
        redis: services().redis.url,
        registries: [{ host: registryHost }],
        worker,
      });
      cleanups.push(file.remove);
      return file.path;
    },
    async spawned(path: string, leaseMs?: number): Promise<WorkerProcess> {
      const worker = await spawnWorker(path, leaseMs === undefined ? {} : { leaseMs });
      cleanups.push(() => worker.kill());
      return worker;
    },
  };
}

describe('two worker processes sharing one Redis and one PostgreSQL', () => {
  const { services, cleanup, configFile, spawned } = processEnvironment();

  test('two processes, 20 images pushed at once on shared bases: all scanned, no layer downloaded twice', async () => {
    const bases: Record<StatusName, Buffer> = {
      texlive: await debianBase('texlive'),
      postgresql: await debianBase('postgresql'),
      valid: await debianBase('valid'),
    };
    const names: StatusName[] = ['texlive', 'postgresql', 'valid'];
    const pushed: Array<{ image: FakeImage; base: StatusName }> = [];
    for (let index = 0; index < 20; index += 1) {
      const base = names[index % names.length] ?? 'valid';
      pushed.push({ image: imageOf([bases[base], await appLayer(`service-${index}`)]), base });
    }
    const registry = await createFakeRegistry({
      images: Object.fromEntries(pushed.map(({ image }, index) => [`team/service-${index}:1`, image])),
    });
    cleanup(() => registry.close());
    const path = await configFile(registry.host, { concurrency: 2, lockSeconds: 10 });
    const workers = await Promise.all([spawned(path), spawned(path)]);

    const scans = await Promise.all(
      pushed.map(({ image }, index) =>
        requestScan(services(), {
          registry: registry.host,
          repository: `team/service-${index}`,
          digest: image.manifest.digest,
        }),
      ),
    );
    const finished = await Promise.all(
      scans.map((scan) => settled(services().store, scan.id, { timeoutMs: 90_000 })),
    );
    assert.deepEqual(
      finished.filter((scan) => scan.status !== 'done').map((scan) => scan.error),
      [],
    );

    const layers = new Set(pushed.flatMap(({ image }) => image.layers.map((layer) => layer.digest)));
    assert.equal(layers.size, 23);
    const downloads = [...layers].map((digest) => downloadsOf(registry, digest));
    assert.deepEqual(
      downloads,
      [...layers].map(() => 1),
      'every layer downloaded exactly once',
    );
    const sum = (pick: (scan: (typeof finished)[number]) => number | null) =>
      finished.reduce((total, scan) => total + (pick(scan) ?? 0), 0);
    assert.deepEqual([sum((scan) => scan.layersFetched), sum((scan) => scan.layersCached)], [23, 17]);

    // Log lines cross a pipe after the database update: wait until all 20 have arrived.
    const perProcess = await eventually(() => {
      const counts = workers.map((worker) => worker.logs.filter((entry) => entry.msg === 'scan done').length);
      return counts.reduce((total, count) => total + count, 0) === 20 ? counts : undefined;
    });
    assert.ok(
      perProcess.every((count) => count > 0),
      `both processes scanned: ${perProcess.join(' + ')}`,
    );

    for (const [index, { image, base }] of pushed.entries()) {
      const stored = await services().store.images.get(image.manifest.digest);
      assert.deepEqual(
        stored?.packages.map((pkg) => `${pkg.name} ${pkg.version}`).sort(),
        expectedPackages(base),
        `service-${index}`,
      );
    }
    await Promise.all(workers.map((worker) => worker.stop()));
  });
});

describe('a worker process killed in the middle of a scan', () => {
  const { services, cleanup, configFile, spawned } = processEnvironment();

  test('a process killed (SIGKILL) in the middle of a layer: another takes the job over and finishes the scan', async (t) => {
    const image = imageOf([await debianBase('postgresql'), await appLayer('interrupted')]);
    const registry = await createFakeRegistry({ images: { 'team/interrupted:1': image } });
    cleanup(() => registry.close());
    const base = image.layers[0]?.digest ?? '';
    const proxy: StallingProxy = await startStallingProxy(registry.url, base);
    cleanup(() => proxy.close());
    const path = await configFile(proxy.host, { concurrency: 1, lockSeconds: 2 });

    const doomed = await spawned(path, 1_500);
    const scan = await requestScan(services(), {
      registry: proxy.host,
      repository: 'team/interrupted',
      digest: image.manifest.digest,
    });
    await proxy.stalled;
    assert.equal((await services().store.scans.get(scan.id))?.status, 'running');
    await doomed.kill();

    const started = Date.now();
    const rescuer = await spawned(path, 1_500);
    const done = await settled(services().store, scan.id, { timeoutMs: 30_000 });
    const recoveredInMs = Date.now() - started;
    assert.equal(done.status, 'done', JSON.stringify(done.error));
    assert.equal(done.attempts, 2, 'started by the killed process, then by the rescuer');
    assert.equal(downloadsOf(registry, base), 2, 'the stalled download, then the rescuer’s');
    // The log line follows the database update and crosses a pipe: it may come a moment later.
    await eventually(() =>
      rescuer.logs.find((entry) => entry.msg === 'scan done' && entry.scanId === scan.id),
    );
    assert.deepEqual(
      (await services().store.images.get(image.manifest.digest))?.packages
        .map((pkg) => `${pkg.name} ${pkg.version}`)
        .sort(),
      expectedPackages('postgresql'),
    );
    const leases = await services().db.query('select * from layer_leases');
    assert.deepEqual(leases, [], 'no lease left behind');
    t.diagnostic(`scan done ${recoveredInMs} ms after the kill (lockSeconds 2, lease 1.5 s)`);
    await rescuer.stop();
  });
});

function downloadsOf(registry: FakeRegistry, digest: string): number {
  return registry.requests.filter((request) => request.path.endsWith(`/blobs/${digest}`)).length;
}
