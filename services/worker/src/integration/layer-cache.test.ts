import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase, type Database } from '@customs/db';
import { defaultAnalyzers, type Analyzer } from '@customs/inventory';
import { createFakeRegistry, type FakeImage, type FakeRegistry } from '@customs/oci/testing';
import { openStore, type Store } from '@customs/store';
import { directScanner } from './support/direct-scan.js';
import { captureLogs, serviceConfig } from './support/environment.js';
import { appLayer, debianBase, expectedPackages, imageOf } from './support/fixture-images.js';

// PGlite: the cache logic is the same SQL as on a server, and nothing here needs a second process.
let db: Database;
let store: Store;
let registry: FakeRegistry;
let first: FakeImage;
let second: FakeImage;

before(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  store = await openStore(db);
  const base = await debianBase('texlive');
  first = imageOf([base, await appLayer('first')]);
  second = imageOf([base, await appLayer('second')]);
  registry = await createFakeRegistry({ images: { 'team/first:1': first, 'team/second:1': second } });
});

after(async () => {
  await registry?.close();
  await db?.close();
});

/** GETs of one blob at the registry: how often a layer was downloaded. */
function downloads(digest: string): number {
  return registry.requests.filter((request) => request.path.endsWith(`/blobs/${digest}`)).length;
}

/** The default analyzers, each noting when it runs; `bump` gives one of them a new version. */
function counting(runs: string[], bump?: string): Analyzer[] {
  return defaultAnalyzers.map((analyzer) => {
    const version = analyzer.id === bump ? analyzer.version + 1 : analyzer.version;
    return {
      ...analyzer,
      version,
      analyze(files, context) {
        runs.push(`${analyzer.id}@${version}`);
        return analyzer.analyze(files, context);
      },
    };
  });
}

test('a second image on the same base downloads only its own layer', async () => {
  const scan = directScanner({ config: configFor(registry), store, logger: captureLogs().logger });
  const [base, firstApp] = first.layers;
  const secondApp = second.layers[1];
  assert.ok(base && firstApp && secondApp);

  const a = await scan({ registry: registry.host, repository: 'team/first', digest: first.manifest.digest });
  assert.equal(a.thrown, null);
  assert.deepEqual([a.scan?.status, a.scan?.layersFetched, a.scan?.layersCached], ['done', 2, 0]);

  const b = await scan({
    registry: registry.host,
    repository: 'team/second',
    digest: second.manifest.digest,
  });
  assert.deepEqual([b.scan?.status, b.scan?.layersFetched, b.scan?.layersCached], ['done', 1, 1]);
  assert.deepEqual(
    [downloads(base.digest), downloads(firstApp.digest), downloads(secondApp.digest)],
    [1, 1, 1],
  );

  const stored = await store.images.get(second.manifest.digest);
  assert.deepEqual(
    stored?.packages.map((pkg) => `${pkg.name} ${pkg.version}`).sort(),
    expectedPackages('texlive'),
  );
  assert.ok(stored?.packages.every((pkg) => pkg.layer === base.digest));
});

test('a new version of one analyzer re-runs only that analyzer; the cached output of the others stays', async () => {
  const runs: string[] = [];
  const dpkg = defaultAnalyzers.find((analyzer) => analyzer.id === 'dpkg');
  assert.ok(dpkg);
  const base = first.layers[0]?.digest ?? '';
  const before = await outputsOf(base);
  const scan = directScanner({
    config: configFor(registry),
    store,
    logger: captureLogs().logger,
    indexer: { analyzers: counting(runs, 'dpkg') },
  });
  const again = await scan({
    registry: registry.host,
    repository: 'team/first',
    digest: first.manifest.digest,
  });
  assert.deepEqual([again.scan?.status, again.scan?.layersFetched, again.scan?.layersCached], ['done', 2, 0]);
  assert.deepEqual(
    runs,
    [`dpkg@${dpkg.version + 1}`],
    'os-release, already cached for this layer, did not run',
  );

  const afterBump = await outputsOf(base);
  assert.deepEqual(
    afterBump.map((row) => row.key),
    [...before.map((row) => row.key), `dpkg@${dpkg.version + 1}`].sort(),
  );
  const unchanged = (rows: typeof before) => rows.filter((row) => row.key !== `dpkg@${dpkg.version + 1}`);
  assert.deepEqual(unchanged(afterBump), before, 'the outputs of the old versions were not rewritten');
  const stored = await store.images.get(first.manifest.digest);
  assert.deepEqual(
    stored?.packages.map((pkg) => `${pkg.name} ${pkg.version}`).sort(),
    expectedPackages('texlive'),
  );
  assert.ok(stored?.analyzers.includes(`dpkg@${dpkg.version + 1}`));
});

async function outputsOf(layer: string): Promise<Array<{ key: string; analysedAt: string }>> {
  const rows = await db.query<{ analyzer: string; version: number; analysed_at: Date }>(
    'select analyzer, version, analysed_at from layer_outputs where layer_digest = $1 order by analyzer, version',
    [layer],
  );
  return rows
    .map((row) => ({ key: `${row.analyzer}@${row.version}`, analysedAt: row.analysed_at.toISOString() }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function configFor(on: FakeRegistry) {
  return serviceConfig({ registries: [{ host: on.host }] });
}
