import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Queue } from 'bullmq';
import {
  createFakeRegistry,
  type FakeImage,
  type FakeRegistry,
  type FakeRegistryOptions,
} from '@customs/oci/testing';
import { createRedisConnection, SCAN_QUEUE, scanJobId } from '@customs/queue';
import type { Redis } from 'ioredis';
import { startWorker, type RunningWorker } from '../start-worker.js';
import {
  captureLogs,
  eventually,
  requestScan,
  serviceConfig,
  settled,
  startServices,
  type TestServices,
} from './support/environment.js';
import { appLayer, debianBase, imageOf, truncatedLayer } from './support/fixture-images.js';

describe('failures', () => {
  let services: TestServices;
  let worker: RunningWorker;
  let connection: Redis;
  let jobs: Queue;
  const logs = captureLogs();
  /** One registry per case, each serving its own image (job ids are digests: no two cases share one). */
  type Case = 'flaky' | 'down' | 'guarded' | 'unconfigured' | 'damaged';
  const registries = new Map<Case, FakeRegistry>();
  const images = new Map<Case, FakeImage>();
  const registry = (name: Case): FakeRegistry => defined(registries.get(name));
  const image = (name: Case): FakeImage => defined(images.get(name));

  before(async () => {
    services = await startServices();
    const base = await debianBase('valid');
    for (const name of ['flaky', 'down', 'guarded', 'unconfigured'] as const) {
      images.set(name, imageOf([base, await appLayer(name)]));
    }
    images.set('damaged', imageOf([base, await truncatedLayer()]));
    const serve = async (name: Case, options: Omit<FakeRegistryOptions, 'images'> = {}) =>
      registries.set(name, await createFakeRegistry({ images: { 'team/app:1': image(name) }, ...options }));
    await serve('flaky', { failures: [{ on: 'manifest', status: 503, times: 1 }] });
    await serve('down', { failures: [{ on: 'manifest', status: 500, times: 1_000 }] });
    await serve('guarded', { auth: 'token', users: { scanner: 'the-right-password' } });
    await serve('unconfigured');
    await serve('damaged');
    const config = serviceConfig({
      registries: [
        { host: registry('flaky').host },
        { host: registry('down').host },
        { host: registry('guarded').host, username: 'scanner', password: 'a-wrong-password' },
        { host: registry('damaged').host },
      ],
      worker: { concurrency: 2, lockSeconds: 5 },
    });
    worker = await startWorker({
      config,
      store: services.store,
      redisUrl: services.redis.url,
      logger: logs.logger,
      // One request per job attempt, so BullMQ's retries are what is tested.
      registryClient: { retry: { maxAttempts: 1 } },
    });
    connection = createRedisConnection(services.redis.url);
    jobs = new Queue(SCAN_QUEUE, { connection });
  });

  after(async () => {
    await worker?.close();
    await jobs?.close();
    connection?.disconnect();
    await Promise.all([...registries.values()].map((registry) => registry.close()));
    await services?.close();
  });

  const scanOf = (name: Case) =>
    requestScan(services, {
      registry: registry(name).host,
      repository: 'team/app',
      digest: image(name).manifest.digest,
    });

  const deadLettersFor = async (name: Case) =>
    (await services.store.deadLetters.list(100)).filter(
      (letter) => letter.jobId === scanJobId(image(name).manifest.digest),
    );

  test('a registry that answers 503 once: the scan is retried by BullMQ and then done', async () => {
    const scan = await scanOf('flaky');
    const done = await settled(services.store, scan.id);
    assert.equal(done.status, 'done', JSON.stringify(done.error));
    assert.equal(done.attempts, 2);
    assert.equal(done.error, null);
    const retry = logs
      .entries()
      .find((entry) => entry.scanId === scan.id && entry.msg === 'scan failed; will retry');
    assert.deepEqual([retry?.code, retry?.retryable, retry?.attempt], ['REGISTRY_UNAVAILABLE', true, 1]);
    assert.deepEqual(await deadLettersFor('flaky'), []);
  });

  test('a registry that keeps failing: every attempt is used, then the scan fails and one dead letter is kept', async () => {
    const scan = await scanOf('down');
    const failed = await settled(services.store, scan.id, { until: ['failed'] });
    assert.equal(failed.error?.code, 'REGISTRY_UNAVAILABLE');
    assert.match(failed.error?.message ?? '', /HTTP 500/);
    assert.equal(failed.attempts, 5);
    const [letter, ...more] = await eventually(async () => {
      const letters = await deadLettersFor('down');
      return letters.length > 0 ? letters : undefined;
    });
    assert.deepEqual(more, []);
    assert.equal(letter?.attempts, 5);
    assert.match(letter?.error ?? '', /^REGISTRY_UNAVAILABLE: /);
    assert.equal(registry('down').stats.manifestGets, 5);
  });

  test('credentials the registry refuses: the scan fails at once with REGISTRY_AUTH_FAILED and a dead letter', async () => {
    const scan = await scanOf('guarded');
    const failed = await settled(services.store, scan.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'REGISTRY_AUTH_FAILED');
    assert.match(
      failed.error?.message ?? '',
      /rejected the credentials for user "scanner" \(HTTP 401\) \(check the username and password configured/,
    );
    assert.equal(failed.attempts, 1);
    const letters = await eventually(async () => {
      const found = await deadLettersFor('guarded');
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(
      letters.map((letter) => [letter.attempts, letter.error.split(':')[0]]),
      [[1, 'REGISTRY_AUTH_FAILED']],
    );
    // The handler records the dead letter before BullMQ moves the job to failed: read the job once it
    // is there, not a snapshot taken while it was still active.
    const jobId = scanJobId(image('guarded').manifest.digest);
    const job = await eventually(async () =>
      (await jobs.getJobState(jobId)) === 'failed' ? jobs.getJob(jobId) : undefined,
    );
    assert.equal(job.attemptsMade, 1, 'not retried');
    assert.ok(!logs.text().includes('a-wrong-password'));
  });

  test('a registry that is not configured: the scan fails without a single request to it', async () => {
    const scan = await scanOf('unconfigured');
    const failed = await settled(services.store, scan.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'REGISTRY_NOT_CONFIGURED');
    assert.match(
      failed.error?.message ?? '',
      new RegExp(`registry ${registry('unconfigured').host} is not configured`),
    );
    assert.equal(registry('unconfigured').requests.length, 0);
    const letters = await eventually(async () => {
      const found = await deadLettersFor('unconfigured');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(letters.length, 1);
  });

  test('a truncated layer: the scan fails at once with LAYER_TRUNCATED, naming the layer, and caches nothing of it', async () => {
    const scan = await scanOf('damaged');
    const failed = await settled(services.store, scan.id);
    const damaged = image('damaged').layers[1]?.digest ?? '';
    assert.deepEqual([failed.status, failed.error?.code, failed.attempts], ['failed', 'LAYER_TRUNCATED', 1]);
    assert.ok(failed.error?.message.includes(`layer ${damaged}`), failed.error?.message);
    assert.deepEqual((await services.store.layers.get(damaged, [])).facts, null);
    assert.equal(await services.store.images.get(image('damaged').manifest.digest), null);
  });
});

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the test set-up did not create this');
  return value;
}
