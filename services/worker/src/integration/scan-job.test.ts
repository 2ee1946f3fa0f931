import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createFakeRegistry,
  fakeAttestation,
  fakeIndex,
  type FakeContent,
  type FakeRegistry,
} from '@customs/oci/testing';
import { createS3ObjectStore, openStore } from '@customs/store';
import S3rver from 's3rver';
import { startWorker, type RunningWorker } from '../start-worker.js';
import { appLayer, debianBase, expectedPackages, imageOf } from './support/fixture-images.js';
import {
  captureLogs,
  requestScan,
  serviceConfig,
  settled,
  startServices,
  type TestServices,
} from './support/environment.js';

describe('a worker with Redis and PostgreSQL', () => {
  let services: TestServices;
  let registry: FakeRegistry;
  let worker: RunningWorker;
  const logs = captureLogs();
  let shop: FakeContent;
  let multi: FakeContent;

  before(async () => {
    services = await startServices();
    const base = await debianBase('postgresql');
    const amd64 = imageOf([base, await appLayer('shop-amd64')], {
      platform: { os: 'linux', architecture: 'amd64' },
    });
    const arm64 = imageOf([await debianBase('valid'), await appLayer('shop-arm64')], {
      platform: { os: 'linux', architecture: 'arm64' },
    });
    shop = imageOf([base, await appLayer('shop')], { steps: ['ADD rootfs.tar /', 'COPY shop /srv/shop'] });
    multi = fakeIndex([{ content: amd64 }, { content: arm64 }, fakeAttestation(amd64)]);
    registry = await createFakeRegistry({
      auth: 'token',
      users: { scanner: 's3cret-pass' },
      images: { 'team/shop:1.0': shop, 'team/multi:1.0': multi },
    });
    const config = serviceConfig({
      registries: [{ host: registry.host, username: 'scanner', password: 's3cret-pass' }],
      worker: { concurrency: 2, lockSeconds: 5 },
    });
    worker = await startWorker({
      config,
      store: services.store,
      redisUrl: services.redis.url,
      logger: logs.logger,
    });
  });

  after(async () => {
    await worker?.close();
    await registry?.close();
    await services?.close();
  });

  test('a queued job leaves the inventory, the layers and a done scan with its cache figures', async () => {
    const digest = shop.manifest.digest;
    const scan = await requestScan(services, {
      registry: registry.host,
      repository: 'team/shop',
      digest,
      tag: '1.0',
    });
    const done = await settled(services.store, scan.id);
    assert.equal(done.status, 'done', JSON.stringify(done.error));
    assert.deepEqual([done.layersFetched, done.layersCached, done.attempts], [2, 0, 1]);

    const stored = await services.store.images.get(digest);
    assert.ok(stored);
    assert.deepEqual(stored.distro && [stored.distro.id, stored.distro.versionId], ['debian', '12']);
    assert.equal(stored.platform, 'linux/amd64');
    assert.deepEqual(
      stored.layers.map((layer) => layer.createdBy),
      ['ADD rootfs.tar /', 'COPY shop /srv/shop'],
    );
    assert.deepEqual(
      stored.packages.map((pkg) => `${pkg.name} ${pkg.version}`).sort(),
      expectedPackages('postgresql'),
    );
    assert.ok(stored.packages.every((pkg) => pkg.layer === stored.layers[0]?.digest));
    // The worker looks for secrets in the same pass: files read, none found in these layers.
    assert.deepEqual(stored.secrets?.findings, []);
    assert.ok((stored.secrets?.scannedFiles ?? 0) > 0, 'the secret scanner read the layers');
    const [client] = await services.store.images.containing({ type: 'deb', name: 'postgresql-client-11' });
    assert.equal(client?.digest, digest);
  });

  test('the scan stores a CycloneDX and an SPDX SBOM of the image, inline without S3', async () => {
    const digest = shop.manifest.digest;
    const stored = await services.store.images.get(digest);
    const purls = stored?.packages.map((pkg) => pkg.purl).sort();
    assert.equal(purls?.length, expectedPackages('postgresql').length);
    const bom = await services.store.artifacts.get(digest, 'sbom-cyclonedx');
    assert.ok(isRecord(bom) && Array.isArray(bom.components));
    assert.deepEqual([bom.bomFormat, bom.specVersion], ['CycloneDX', '1.6']);
    assert.deepEqual(
      bom.components
        .flatMap((component: unknown) => (isRecord(component) && component.purl ? [component.purl] : []))
        .sort(),
      purls,
    );
    assert.equal(bom.vulnerabilities, undefined, 'an inventory only');
    const spdx = await services.store.artifacts.get(digest, 'sbom-spdx');
    assert.ok(isRecord(spdx) && Array.isArray(spdx.packages));
    assert.equal(spdx.spdxVersion, 'SPDX-2.3');
    assert.equal(spdx.name, `${registry.host}/team/shop@${digest}`);
    assert.equal(spdx.packages.length, (purls?.length ?? 0) + 2, 'the packages, the image and the OS');
    const rows = await services.db.query<{ kind: string; storage: string }>(
      'select kind, storage from artifacts where manifest_digest = $1 order by kind',
      [digest],
    );
    assert.deepEqual(rows, [
      { kind: 'sbom-cyclonedx', storage: 'inline' },
      { kind: 'sbom-spdx', storage: 'inline' },
    ]);
  });

  test('an index push scans each platform image, skips the attestation, and links the children', async () => {
    const digest = multi.manifest.digest;
    const scan = await requestScan(services, { registry: registry.host, repository: 'team/multi', digest });
    const done = await settled(services.store, scan.id);
    assert.equal(done.status, 'done', JSON.stringify(done.error));
    const children = await services.store.images.children(digest);
    assert.deepEqual(
      children.map((child) => child.platform),
      ['linux/amd64', 'linux/arm64'],
    );
    const [amd64, arm64] = await Promise.all(
      children.map((child) => services.store.images.get(child.digest)),
    );
    assert.deepEqual(
      amd64?.packages.map((pkg) => `${pkg.name} ${pkg.version}`).sort(),
      expectedPackages('postgresql'),
    );
    assert.deepEqual(
      arm64?.packages.map((pkg) => `${pkg.name} ${pkg.version}`).sort(),
      expectedPackages('valid'),
    );
    assert.equal(await services.store.images.get(digest), null, 'the index itself is not an image');
    // the amd64 base layer was analysed by the previous test: cached here
    assert.deepEqual([done.layersFetched, done.layersCached], [3, 1]);
  });

  test('logs say which image and layer, how long, and never the password', () => {
    const entries = logs.entries();
    const layerDone = entries.find((entry) => entry.msg === 'layer done');
    assert.ok(layerDone);
    assert.equal(typeof layerDone.durationMs, 'number');
    assert.match(String(layerDone.layer), /^sha256:[0-9a-f]{64}$/);
    assert.match(String(layerDone.image), new RegExp(`^${registry.host}/team/`));
    // Every downloaded layer was announced once when its bytes started coming; cached ones never were.
    const layersOf = (msg: string, cached?: boolean) =>
      entries
        .filter((entry) => entry.msg === msg && (cached === undefined || entry.cached === cached))
        .map((entry) => `${String(entry.manifest)} ${String(entry.layer)}`)
        .sort();
    assert.ok(layersOf('layer downloading').length > 0);
    assert.deepEqual(layersOf('layer downloading'), layersOf('layer done', false));
    assert.ok(entries.some((entry) => entry.msg === 'scan done' && typeof entry.durationMs === 'number'));
    assert.ok(!logs.text().includes('s3cret-pass'));
  });
});

describe('a worker configured with S3', () => {
  let services: TestServices;
  let registry: FakeRegistry;
  let s3: S3rver;
  let endpoint: string;
  let scratch: string;

  before(async () => {
    services = await startServices();
    scratch = await mkdtemp(join(tmpdir(), 'customs-worker-s3-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: scratch,
      configureBuckets: [{ name: 'sboms' }],
    });
    endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
  });

  after(async () => {
    await registry?.close();
    await s3?.close();
    await services?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test('SBOMs go to the bucket; PostgreSQL keeps where they are', async () => {
    const image = imageOf([await debianBase('valid'), await appLayer('stored-in-s3')]);
    registry = await createFakeRegistry({ images: { 'team/s3:1': image } });
    const s3Config = {
      bucket: 'sboms',
      prefix: 'customs/',
      endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    };
    const worker = await startWorker({
      config: serviceConfig({ registries: [{ host: registry.host }], s3: s3Config }),
      store: services.store,
      redisUrl: services.redis.url,
      logger: captureLogs().logger,
    });
    try {
      const scan = await requestScan(services, {
        registry: registry.host,
        repository: 'team/s3',
        digest: image.manifest.digest,
      });
      const done = await settled(services.store, scan.id);
      assert.equal(done.status, 'done', JSON.stringify(done.error));
    } finally {
      await worker.close();
    }
    const rows = await services.db.query<{ kind: string; storage: string; location: string; body: unknown }>(
      'select kind, storage, location, body from artifacts where manifest_digest = $1 order by kind',
      [image.manifest.digest],
    );
    const key = (kind: string) => `artifacts/${image.manifest.digest.replace(':', '/')}/${kind}.json`;
    assert.deepEqual(rows, [
      { kind: 'sbom-cyclonedx', storage: 'object', location: key('sbom-cyclonedx'), body: null },
      { kind: 'sbom-spdx', storage: 'object', location: key('sbom-spdx'), body: null },
    ]);
    const reader = await openStore(services.db, {
      objects: createS3ObjectStore({
        bucket: 'sboms',
        prefix: 'customs/',
        endpoint,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    });
    const spdx = await reader.artifacts.get(image.manifest.digest, 'sbom-spdx');
    assert.ok(isRecord(spdx) && Array.isArray(spdx.packages));
    assert.equal(spdx.packages.length, expectedPackages('valid').length + 2);
  });
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
