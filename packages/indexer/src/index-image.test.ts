import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test, { after } from 'node:test';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { defaultAnalyzers, type Analyzer } from '@customs/inventory';
import { openTarget } from '@customs/oci';
import { createFakeRegistry, fakeImage, type FakeRegistry } from '@customs/oci/testing';
import { DEFAULT_LIMITS } from '@customs/layers';
import { syntheticTar } from '@customs/layers/testing';
import { createIndexer } from './index-image.js';
import { createMemoryLayerCache } from './layer-cache.js';
import type { IndexProgress } from './progress.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const realAnalyzers = defaultAnalyzers.filter((a) => a.id === 'dpkg' || a.id === 'os-release');

/** A gzip tar of the given files: the layers are synthetic, their contents real Debian data. */
async function layerOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const tar = await syntheticTar(Object.entries(files).map(([name, data]) => ({ name, data })));
  return gzipSync(tar);
}

const status = await readFile(`${fixtures}dpkg/status/claircore-texlive/status`);
const osRelease = await readFile(`${fixtures}os-release/debian-12-bookworm.os-release`);
const baseLayer = await layerOf({ 'etc/os-release': osRelease, 'var/lib/dpkg/status': status });
const removalLayer = await layerOf({ 'var/lib/dpkg/.wh.status': '' });

const registries: FakeRegistry[] = [];
after(() => Promise.all(registries.map((registry) => registry.close())));

async function serve(layers: Buffer[]): Promise<FakeRegistry> {
  const image = fakeImage({
    layers,
    layerMediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    diffIds: [],
    history: layers.map((_, index) => ({ created_by: `step ${index + 1}` })),
  });
  const registry = await createFakeRegistry({ images: { 'demo/app:1.0': image } });
  registries.push(registry);
  return registry;
}

async function resolve(registry: FakeRegistry) {
  const source = await openTarget(`${registry.host}/demo/app:1.0`);
  const [image] = await source.resolve({ kind: 'all' });
  assert.ok(image);
  return image;
}

test('indexes every layer once, attributes packages to their layer, and reads the distro', async () => {
  const registry = await serve([baseLayer]);
  const events: IndexProgress[] = [];
  const inventory = await createIndexer({ analyzers: realAnalyzers }).index(await resolve(registry), {
    onProgress: (event) => events.push(event),
  });
  assert.deepEqual(inventory.distro && { id: inventory.distro.id, versionId: inventory.distro.versionId }, {
    id: 'debian',
    versionId: '12',
  });
  const [layer] = inventory.layers;
  assert.equal(layer?.createdBy, 'step 1');
  assert.ok(inventory.packages.length > 50);
  assert.ok(inventory.packages.every((pkg) => pkg.type === 'deb' && pkg.layer === layer?.digest));
  assert.ok(inventory.packages.every((pkg) => pkg.purl.endsWith('distro=debian-12')));
  assert.equal(registry.stats.blobGets, 2, 'the config and the one layer');
  assert.deepEqual(
    events.map((event) => event.kind).filter((kind) => kind !== 'layer-bytes'),
    ['layer-start', 'layer-done'],
  );
  const lastBytes = events.filter((event) => event.kind === 'layer-bytes').at(-1);
  assert.equal(lastBytes?.kind === 'layer-bytes' && lastBytes.received, baseLayer.length);
});

test('a cached layer is never downloaded again; a new analyzer version misses the cache', async () => {
  const registry = await serve([baseLayer, removalLayer]);
  const cache = createMemoryLayerCache();
  const image = await resolve(registry);
  const layerGets = () => registry.stats.blobGets - 1; // the config was read by resolve()
  const first = await createIndexer({ analyzers: realAnalyzers, cache }).index(image);
  assert.equal(layerGets(), 2);
  assert.deepEqual(first.packages, [], 'the whiteout in layer 2 removes the dpkg database');

  const second = await createIndexer({ analyzers: realAnalyzers, cache }).index(image);
  assert.equal(layerGets(), 2);
  assert.deepEqual(second, first);

  const bumped = realAnalyzers.map((analyzer) =>
    analyzer.id === 'dpkg' ? { ...analyzer, version: analyzer.version + 1 } : analyzer,
  );
  await createIndexer({ analyzers: bumped, cache }).index(image);
  assert.equal(layerGets(), 4);
});

test('a new version of one analyzer re-runs only that analyzer; the others keep their cached output', async () => {
  const registry = await serve([baseLayer]);
  const image = await resolve(registry);
  const cache = createMemoryLayerCache();
  const runs: string[] = [];
  const counting = (analyzer: Analyzer, version = analyzer.version): Analyzer => ({
    ...analyzer,
    version,
    analyze(files, context) {
      runs.push(`${analyzer.id}@${version}`);
      return analyzer.analyze(files, context);
    },
  });
  const [osRelease, dpkg] = ['os-release', 'dpkg'].map(
    (id) => realAnalyzers.find((a) => a.id === id) as Analyzer,
  );
  const first = await createIndexer({ analyzers: [counting(osRelease!), counting(dpkg!)], cache }).index(
    image,
  );
  const second = await createIndexer({ analyzers: [counting(osRelease!), counting(dpkg!, 99)], cache }).index(
    image,
  );
  assert.deepEqual(runs, ['os-release@1', `dpkg@${dpkg!.version}`, 'dpkg@99']);
  assert.deepEqual(second.packages, first.packages);
  assert.deepEqual(second.distro, first.distro);
});

test('two indexers meeting the same new layer at once download it once when the cache has a lock', async () => {
  const registry = await serve([baseLayer]);
  const image = await resolve(registry);
  const shared = createMemoryLayerCache();
  let held: Promise<void> = Promise.resolve();
  const locking = {
    ...shared,
    async lock() {
      const previous = held;
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      await previous;
      return async () => release();
    },
  };
  const before = registry.stats.blobGets;
  const [a, b] = await Promise.all([
    createIndexer({ analyzers: realAnalyzers, cache: locking }).index(image),
    createIndexer({ analyzers: realAnalyzers, cache: locking }).index(image),
  ]);
  assert.equal(registry.stats.blobGets - before, 1);
  assert.deepEqual(a, b);
});

test('a layer whose bytes do not match its digest fails the scan, names image and layer, and caches nothing', async () => {
  const registry = await serve([baseLayer]);
  const image = await resolve(registry);
  const digest = image.layers[0]?.digest ?? '';
  // Same length, still valid gzip (only the header's mtime differs): only the digest can tell.
  const tampered = Buffer.from(baseLayer);
  tampered[4] = (tampered[4] ?? 0) ^ 0xff;
  registry.replaceBlob(digest, tampered);
  const cache = createMemoryLayerCache();
  await assert.rejects(createIndexer({ analyzers: realAnalyzers, cache }).index(image), (error: unknown) => {
    assert.ok(isCustomsError(error, 'BLOB_DIGEST_MISMATCH'), String(error));
    assert.equal(error.context.layer, digest);
    assert.match(error.context.image ?? '', /demo\/app:1\.0/);
    return true;
  });
  assert.equal(cache.size, 0);
});

test('per-file analyzers see each file as soon as it is read, and the file is not kept', async () => {
  const seen: string[] = [];
  const binaries: Analyzer = {
    id: 'test-binaries',
    version: 1,
    kind: 'language',
    perFile: true,
    required: (path) => path.startsWith('usr/local/bin/'),
    analyze(files) {
      seen.push(...files.paths());
      return { packages: [] };
    },
  };
  const registry = await serve([
    await layerOf({ 'usr/local/bin/a': 'A', 'usr/local/bin/b': 'B', 'var/lib/dpkg/status': status }),
  ]);
  const inventory = await createIndexer({ analyzers: [...realAnalyzers, binaries] }).index(
    await resolve(registry),
  );
  assert.deepEqual(seen, ['usr/local/bin/a', 'usr/local/bin/b']);
  assert.ok(inventory.packages.length > 50);
});

test('an analyzer that throws leaves the scan incomplete (naming layer and file), not failed', async () => {
  const broken: Analyzer = {
    id: 'broken',
    version: 1,
    kind: 'os',
    required: (path) => path === 'etc/os-release',
    analyze() {
      throw new Error('cannot parse');
    },
  };
  const registry = await serve([baseLayer]);
  const inventory = await createIndexer({ analyzers: [...realAnalyzers, broken] }).index(
    await resolve(registry),
  );
  assert.deepEqual(inventory.warnings, []);
  assert.deepEqual(inventory.incomplete, [
    {
      layer: inventory.layers[0]?.digest,
      path: 'etc/os-release',
      code: 'ANALYZER_FAILED',
      reason: 'broken analyzer failed on etc/os-release: cannot parse',
    },
  ]);
  assert.ok(inventory.packages.length > 50);
});

test('a dpkg status padded past what dpkg reads is skipped: incomplete, naming the layer, and hiding the old status', async () => {
  const limit = defaultAnalyzers.find((a) => a.id === 'dpkg')?.maxFileSize ?? DEFAULT_LIMITS.maxFileBytes;
  const padded = Buffer.concat([status, Buffer.alloc(limit + 1 - status.length, '\n')]);
  // A big file no analyzer asks for, in the same layer: skipped without a word.
  const unwanted = Buffer.alloc(limit + 1);
  const registry = await serve([
    baseLayer,
    await layerOf({ 'var/lib/dpkg/status': padded, 'opt/data/blob.bin': unwanted }),
  ]);
  const inventory = await createIndexer({ analyzers: realAnalyzers }).index(await resolve(registry));
  assert.deepEqual(inventory.packages, [], 'the base layer status is replaced, not what the image holds');
  assert.deepEqual(inventory.incomplete, [
    {
      layer: inventory.layers[1]?.digest,
      path: 'var/lib/dpkg/status',
      code: 'FILE_TOO_LARGE',
      reason: `var/lib/dpkg/status: skipped, ${limit + 1} bytes is more than the ${limit} bytes the dpkg analyzer reads`,
    },
  ]);
  assert.deepEqual(inventory.warnings, []);
  const clean = await createIndexer({ analyzers: realAnalyzers }).index(
    await resolve(await serve([baseLayer])),
  );
  assert.deepEqual(clean.incomplete, [], 'the same image without the padding is complete');
});

test('the indexed image holds the config for the checks, with secret values replaced by markers', async () => {
  // Generated "secrets": an ENV password and a build argument recorded in the history.
  const image = fakeImage({
    layers: [baseLayer],
    layerMediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    diffIds: [],
    history: [{ created_by: 'RUN |1 NPM_TOKEN=npm_generated0secret /bin/sh -c npm ci # buildkit' }],
    runtime: { Env: ['PATH=/usr/bin', 'DB_PASSWORD=generated-db-password'], User: 'app' },
  });
  const registry = await createFakeRegistry({ images: { 'demo/secrets:1': image } });
  registries.push(registry);
  const source = await openTarget(`${registry.host}/demo/secrets:1`);
  const [resolved] = await source.resolve({ kind: 'all' });
  assert.ok(resolved);
  const indexed = await createIndexer({ analyzers: realAnalyzers }).index(resolved);
  const kept = JSON.stringify({ config: indexed.imageConfig, layers: indexed.layers });
  for (const secret of ['npm_generated0secret', 'generated-db-password'])
    assert.ok(!kept.includes(secret), secret);
  assert.deepEqual(indexed.imageConfig?.config?.Env, ['PATH=/usr/bin', 'DB_PASSWORD=<redacted:21>']);
  assert.equal(indexed.layers[0]?.createdBy, 'RUN |1 NPM_TOKEN=<redacted:20> /bin/sh -c npm ci # buildkit');
  assert.equal(indexed.imageConfig?.config?.User, 'app');
});
