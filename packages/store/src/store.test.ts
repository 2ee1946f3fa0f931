import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import test, { after, describe } from 'node:test';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';
import type { IndexedImage } from '@customs/indexer';
import type { IncompleteRecord, Package } from '@customs/inventory';
import { createLayerStore } from './layer-store.js';
import { openStore, type Store } from './open-store.js';
import { cachedPackageKinds } from './package-kinds.js';

const servers: TestPostgres[] = [];
const databases: Database[] = [];
after(async () => {
  await Promise.all(databases.map((db) => db.close()));
  await Promise.all(servers.map((server) => server.close()));
});

const backends: Array<{ kind: string; open(): Promise<Database> }> = [
  {
    kind: 'postgres',
    async open() {
      const server = await createTestPostgres();
      servers.push(server);
      const db = await openDatabase({ url: server.url });
      databases.push(db);
      return db;
    },
  },
  {
    kind: 'pglite',
    async open() {
      const db = await openDatabase({ dataDir: 'memory://' });
      databases.push(db);
      return db;
    },
  },
];

const urllib3: Package = {
  type: 'pypi',
  name: 'urllib3',
  version: '1.26.12',
  purl: 'pkg:pypi/urllib3@1.26.12',
  source: null,
  ownedBy: 'pkg:deb/debian/python3-urllib3@1.26.12-1?arch=all&distro=debian-12',
  path: 'usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO',
  layer: 'sha256:aaa',
};
const libssl: Package = {
  type: 'deb',
  name: 'libssl3',
  version: '3.0.11-1~deb12u2',
  purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
  source: { name: 'openssl', version: '3.0.11-1~deb12u2' },
  ownedBy: null,
  path: 'var/lib/dpkg/status',
  layer: 'sha256:aaa',
  licenses: ['Apache-2.0'],
};

const paddedStatus: IncompleteRecord = {
  layer: 'sha256:bbb',
  path: 'var/lib/dpkg/status',
  code: 'FILE_TOO_LARGE',
  reason:
    'var/lib/dpkg/status: skipped, 1073741824 bytes is more than the 67108864 bytes the dpkg analyzer reads',
};

function indexed(digest: string, packages: Package[], incomplete: IncompleteRecord[] = []): IndexedImage {
  return {
    reference: `registry.local/app@${digest}`,
    manifestDigest: digest,
    platform: { os: 'linux', architecture: 'amd64' },
    distro: { id: 'debian', versionId: '12' },
    layers: [{ digest: 'sha256:aaa', createdBy: 'debootstrap' }],
    packages,
    warnings: [],
    incomplete,
    imageConfig: { config: { User: 'app' }, history: [{ created_by: 'debootstrap' }] },
  };
}

const where = { registry: 'registry.local', repository: 'team/app' };

for (const backend of backends) {
  describe(`store on ${backend.kind}`, () => {
    let store: Store;
    test('opens and migrates twice without complaint', async () => {
      const db = await backend.open();
      store = await openStore(db);
      await openStore(db);
    });

    test('layer cache keeps facts and per-analyzer outputs by digest', async () => {
      const facts = { diffId: 'sha256:diff', whiteouts: ['etc/x'], opaqueDirs: [], warnings: ['odd'] };
      const output = {
        packages: [],
        distro: null,
        ownedFiles: [],
        files: ['var/lib/dpkg/status'],
        warnings: [],
        unread: [{ path: 'var/lib/dpkg/status', code: 'FILE_TOO_LARGE' as const, reason: 'too big' }],
      };
      assert.deepEqual(await store.layers.get('sha256:l1', ['dpkg@1']), { facts: null, outputs: new Map() });
      await store.layers.put('sha256:l1', facts, new Map([['dpkg@1', output]]));
      await store.layers.put('sha256:l1', facts, new Map([['npm@2', output]]));
      const cached = await store.layers.get('sha256:l1', ['dpkg@1', 'npm@2', 'apk@1']);
      assert.deepEqual(cached.facts, facts);
      assert.deepEqual([...cached.outputs.keys()].sort(), ['dpkg@1', 'npm@2']);
      assert.deepEqual(cached.outputs.get('dpkg@1'), output);
      assert.deepEqual((await store.layers.get('sha256:l1', ['dpkg@2'])).outputs.size, 0);
      // Stored before outputs said what they could not read: it misses, so the layer is read again.
      const { unread: _, ...older } = output;
      await store.db.query(
        `insert into layer_outputs (layer_digest, analyzer, version, output) values ('sha256:l1', 'rpm', 1, $1::jsonb)`,
        [JSON.stringify(older)],
      );
      assert.deepEqual([...(await store.layers.get('sha256:l1', ['rpm@1'])).outputs.keys()], []);
    });

    test('a layer lease is held by one process at a time and expires when not renewed', async () => {
      const first = createLayerStore(store.db, { leaseMs: 300, pollMs: 20 });
      const second = createLayerStore(store.db, { leaseMs: 300, pollMs: 20 });
      const release = await first.lock!('sha256:l2');
      let secondHas = false;
      const waiting = second.lock!('sha256:l2').then((releaseSecond) => {
        secondHas = true;
        return releaseSecond;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(secondHas, false);
      await release();
      const releaseSecond = await waiting;
      assert.equal(secondHas, true);
      await releaseSecond();

      // A holder that dies without releasing: its lease runs out and the layer is free again.
      await store.db.query(
        `insert into layer_leases (layer_digest, holder, expires_at) values ('sha256:l3', 'dead', now() - interval '1 second')`,
      );
      await (
        await second.lock!('sha256:l3')
      )();
    });

    test('images keep their packages, and the package index answers which images hold a package', async () => {
      await store.images.save(indexed('sha256:m1', [libssl, urllib3]), where, {
        configDigest: 'sha256:c1',
        analyzers: ['dpkg@1'],
      });
      await store.images.save(indexed('sha256:m2', [urllib3]), where, {
        configDigest: null,
        analyzers: ['dpkg@1'],
      });
      const stored = await store.images.get('sha256:m1');
      assert.deepEqual(stored?.packages, [libssl, urllib3]);
      assert.equal(stored?.platform, 'linux/amd64');
      assert.deepEqual(stored?.distro, { id: 'debian', versionId: '12' });
      assert.deepEqual(
        stored?.imageConfig,
        indexed('sha256:m1', []).imageConfig,
        'the config checks read it back',
      );
      assert.equal(await store.images.get('sha256:nope'), null);

      const bySource = await store.images.containing({
        type: 'deb',
        name: 'openssl',
        version: '3.0.11-1~deb12u2',
      });
      assert.deepEqual(
        bySource.map((image) => [image.digest, image.package.name]),
        [['sha256:m1', 'libssl3']],
      );
      assert.deepEqual(await cachedPackageKinds(store.db), [
        { distro: { id: 'debian', versionId: '12' }, types: ['deb', 'pypi'] },
      ]);
      const byName = await store.images.containing({ type: 'pypi', name: 'urllib3' });
      assert.deepEqual(
        byName.map((image) => image.digest),
        ['sha256:m1', 'sha256:m2'],
      );

      await store.images.save(indexed('sha256:m1', [urllib3]), where, {
        configDigest: 'sha256:c1',
        analyzers: ['dpkg@2'],
      });
      assert.deepEqual((await store.images.get('sha256:m1'))?.packages, [urllib3]);
    });

    test('an image keeps what its scan could not read; one stored before that is null, not complete', async () => {
      await store.images.save(indexed('sha256:m4', [], [paddedStatus]), where, {
        configDigest: null,
        analyzers: ['dpkg@1'],
      });
      assert.deepEqual((await store.images.get('sha256:m4'))?.incomplete, [paddedStatus]);
      await store.images.save(indexed('sha256:m4', [libssl]), where, { configDigest: null, analyzers: [] });
      assert.deepEqual((await store.images.get('sha256:m4'))?.incomplete, []);
      await store.db.query(`update manifests set incomplete = null where digest = 'sha256:m4'`);
      assert.equal((await store.images.get('sha256:m4'))?.incomplete, null);
    });

    test('an image keeps its redacted secrets (migration 0012); one indexed without the scanner has null', async () => {
      const secrets = {
        findings: [
          {
            ruleId: 'github-pat',
            severity: 'CRITICAL' as const,
            title: 'GitHub personal access token (classic)',
            path: 'app/.env',
            line: 2,
            match: 'ghp_****',
            layerIndex: 0,
            layerDigest: 'sha256:l0',
            removedInLayer: null,
          },
        ],
        scannedFiles: 10,
        skipped: { binary: 1, tooLarge: 0, skippedPath: 0 },
      };
      await store.images.save({ ...indexed('sha256:m5', []), secrets }, where, {
        configDigest: null,
        analyzers: [],
      });
      assert.deepEqual((await store.images.get('sha256:m5'))?.secrets, secrets);
      await store.images.save(indexed('sha256:m5', []), where, { configDigest: null, analyzers: [] });
      assert.equal((await store.images.get('sha256:m5'))?.secrets, null);
      // Later tests count every stored manifest.
      await store.db.query(`delete from manifests where digest = 'sha256:m5'`);
    });

    test('indexes, tags', async () => {
      await store.images.linkIndex('sha256:idx', [
        { digest: 'sha256:m1', platform: 'linux/amd64' },
        { digest: 'sha256:m3', platform: 'linux/arm64' },
      ]);
      await store.images.linkIndex('sha256:idx', [{ digest: 'sha256:m1', platform: 'linux/amd64' }]);
      assert.deepEqual(await store.images.children('sha256:idx'), [
        { digest: 'sha256:m1', platform: 'linux/amd64' },
        { digest: 'sha256:m3', platform: 'linux/arm64' },
      ]);
      await store.images.linkIndex('sha256:idx9', [{ digest: 'sha256:m3', platform: 'linux/arm64' }]);
      assert.deepEqual(await store.images.indexesOf('sha256:m3'), ['sha256:idx', 'sha256:idx9']);
      assert.deepEqual(await store.images.indexesOf('sha256:alone'), []);
      await store.images.recordTag(where, '1.0', 'sha256:m1');
      await store.images.recordTag(where, '1.0', 'sha256:m2');
      assert.equal(await store.images.resolveTag(where, '1.0'), 'sha256:m2');
      assert.equal(await store.images.resolveTag(where, '2.0'), null);
    });

    test('scans go queued → running → done, or back to queued on a retryable failure', async () => {
      const scan = await store.scans.create({
        ...where,
        digest: 'sha256:m9',
        tag: '1.0',
        trigger: 'webhook',
      });
      assert.equal(scan.status, 'queued');
      assert.deepEqual(await store.scans.openOrCreate({ ...where, digest: 'sha256:m9', trigger: 'api' }), {
        scan,
        created: false,
      });
      await store.scans.started(scan.id);
      await store.scans.failed(scan.id, { code: 'REGISTRY_UNAVAILABLE', message: 'down' }, false);
      assert.equal((await store.scans.get(scan.id))?.status, 'queued');
      assert.equal(await store.scans.started(scan.id), true);
      await store.scans.finished(scan.id, { stats: { layersCached: 3, layersFetched: 1 } });
      const done = await store.scans.get(scan.id);
      assert.equal(done?.layersCached, 3);
      // A second attempt of the job (its lock had expired) starting after the first one finished.
      assert.equal(await store.scans.started(scan.id), false, 'a done scan does not run again');
      assert.equal((await store.scans.get(scan.id))?.status, 'done');
      const summary = await store.scans.summary(60);
      assert.equal(summary.finished, 1);
      assert.deepEqual(
        [summary.layersCached, summary.layersFetched, summary.durationsSeconds.length],
        [3, 1, 1],
      );
      assert.equal(done?.status, 'done');
      assert.equal(done?.attempts, 2);
      assert.equal(done?.error, null);
      assert.equal((await store.scans.latestFor('sha256:m9'))?.id, scan.id);
      const fresh = await store.scans.openOrCreate(
        { ...where, digest: 'sha256:m9', trigger: 'webhook' },
        { reuseDoneSeconds: 60 },
      );
      assert.deepEqual([fresh.scan.id, fresh.created], [scan.id, false], 'a fresh done scan is reused');
      const next = await store.scans.openOrCreate({ ...where, digest: 'sha256:m9', trigger: 'api' });
      assert.deepEqual([next.created, next.scan.status], [true, 'queued'], 'without reuse: a new scan');
      assert.equal((await store.scans.latestFor('sha256:m9'))?.id, next.scan.id);
    });

    test('a scan remembers every token that asked for it, once each', async () => {
      const scan = await store.scans.create({ ...where, digest: 'sha256:asked', trigger: 'api' });
      const [first, second] = [randomUUID(), randomUUID()];
      assert.equal(await store.scans.requestedBy(scan.id, first), false);
      await store.scans.addRequester(scan.id, first);
      await store.scans.addRequester(scan.id, first);
      assert.equal(await store.scans.requestedBy(scan.id, first), true);
      assert.equal(await store.scans.requestedBy(scan.id, second), false);
      await store.scans.addRequester(scan.id, second);
      assert.equal(await store.scans.requestedBy(scan.id, second), true);
      const other = await store.scans.create({ ...where, digest: 'sha256:asked2', trigger: 'api' });
      assert.equal(await store.scans.requestedBy(other.id, first), false);
    });

    test('simultaneous requests for one digest, over separate connections, get one scan', async () => {
      const request = { ...where, digest: 'sha256:race', trigger: 'webhook' as const };
      const answers = await Promise.all(Array.from({ length: 12 }, () => store.scans.openOrCreate(request)));
      assert.equal(new Set(answers.map((answer) => answer.scan.id)).size, 1);
      assert.equal(answers.filter((answer) => answer.created).length, 1);
    });

    test("a scan's inventory, its index links and its done land together, or not at all", async () => {
      const scan = await store.scans.create({ ...where, digest: 'sha256:idx2', trigger: 'api' });
      await store.scans.started(scan.id);
      const extra = { configDigest: 'sha256:c5', analyzers: ['dpkg@2'] };
      const unstorable = { ...indexed('sha256:m6', []), manifestDigest: null };
      await assert.rejects(
        store.scans.finished(scan.id, {
          images: [
            { image: indexed('sha256:m5', []), where, extra },
            { image: unstorable, where, extra },
          ],
        }),
        /only registry images/,
      );
      assert.equal((await store.scans.get(scan.id))?.status, 'running');
      assert.equal(await store.images.get('sha256:m5'), null, 'the first image was rolled back');

      await store.scans.finished(scan.id, {
        stats: { layersCached: 0, layersFetched: 1 },
        images: [{ image: indexed('sha256:m5', []), where, extra }],
        index: { digest: 'sha256:idx2', children: [{ digest: 'sha256:m5', platform: 'linux/amd64' }] },
      });
      assert.equal((await store.scans.get(scan.id))?.status, 'done');
      assert.equal((await store.images.get('sha256:m5'))?.configDigest, 'sha256:c5');
      assert.deepEqual(await store.images.children('sha256:idx2'), [
        { digest: 'sha256:m5', platform: 'linux/amd64' },
      ]);
    });

    test('a delivery with the same sender id is recorded once', async () => {
      const first = await store.deliveries.record({
        source: 'ghcr',
        deliveryId: 'd-1',
        outcome: 'enqueued',
        payload: { a: 1 },
      });
      const again = await store.deliveries.record({ source: 'ghcr', deliveryId: 'd-1', outcome: 'enqueued' });
      const anonymous = await store.deliveries.record({
        source: 'distribution',
        outcome: 'ignored',
        reason: 'blob push',
      });
      assert.equal(first.fresh, true);
      assert.equal(again.fresh, false);
      assert.equal(anonymous.fresh, true);
      assert.deepEqual((await store.deliveries.get(first.id))?.payload, { a: 1 });
      assert.deepEqual(await store.deliveries.countsBySourceAndOutcome(), [
        { source: 'distribution', outcome: 'ignored', count: 1 },
        { source: 'ghcr', outcome: 'enqueued', count: 1 },
      ]);
    });

    test('deliveries older than the retention are expired, newer ones kept', async () => {
      const old = await store.deliveries.record({ source: 'github', outcome: 'rejected', reason: 'old' });
      const fresh = await store.deliveries.record({ source: 'github', outcome: 'rejected', reason: 'new' });
      await store.db.query(
        `update webhook_deliveries set received_at = now() - interval '3 days' where id = $1`,
        [old.id],
      );
      assert.equal(await store.deliveries.expire(2 * 86_400), 1);
      assert.equal(await store.deliveries.get(old.id), null);
      assert.equal((await store.deliveries.get(fresh.id))?.reason, 'new');
      assert.equal(await store.deliveries.expire(2 * 86_400), 0);
    });

    test('tokens are stored hashed, verified, and revoked', async () => {
      const { token, info } = await store.tokens.create('ci', ['verdicts:read']);
      const [row] = await store.db.query<{ token_hash: string }>(
        'select token_hash from api_tokens where id = $1',
        [info.id],
      );
      assert.ok(row && !row.token_hash.includes(token.slice(4)));
      assert.deepEqual((await store.tokens.verify(token))?.scopes, ['verdicts:read']);
      assert.equal(await store.tokens.verify(token + 'x'), null);
      assert.equal(await store.tokens.revoke(info.id), true);
      assert.equal(await store.tokens.verify(token), null);
      await assert.rejects(store.tokens.create('bad', ['root']), { code: 'INVALID_TOKEN_SCOPE' });

      const chosen = `cst_${'a1'.repeat(20)}`;
      const ensured = await store.tokens.ensure('bootstrap', chosen, ['admin']);
      assert.deepEqual((await store.tokens.ensure('bootstrap', chosen, ['admin'])).id, ensured.id);
      assert.deepEqual((await store.tokens.verify(chosen))?.scopes, ['admin']);
      await assert.rejects(store.tokens.ensure('weak', 'cst_short', ['admin']), {
        code: 'INVALID_TOKEN_FORMAT',
      });
    });

    test('artifacts are kept inline without an object store', async () => {
      const report = { findings: [{ id: 'CVE-2024-1' }] };
      assert.deepEqual(await store.artifacts.put('sha256:m1', 'report', report), {
        storage: 'inline',
        bytes: JSON.stringify(report).length,
      });
      assert.deepEqual(await store.artifacts.get('sha256:m1', 'report'), report);
      assert.equal(await store.artifacts.get('sha256:m1', 'sbom-spdx'), null);
    });

    test('artifacts go to the object store when there is one', async () => {
      const objects = new Map<string, Buffer>();
      const withObjects = await openStore(store.db, {
        objects: {
          description: 'memory',
          put: async (key, body) => void objects.set(key, body),
          get: async (key) => objects.get(key) ?? null,
        },
      });
      await withObjects.artifacts.put('sha256:m2', 'sbom-cyclonedx', { bomFormat: 'CycloneDX' });
      assert.deepEqual([...objects.keys()], ['artifacts/sha256/m2/sbom-cyclonedx.json']);
      assert.deepEqual(await withObjects.artifacts.get('sha256:m2', 'sbom-cyclonedx'), {
        bomFormat: 'CycloneDX',
      });
    });
  });
}
