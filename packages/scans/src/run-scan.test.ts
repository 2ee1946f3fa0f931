import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signerFromPem } from '@customs/attestations';
import { isCustomsError } from '@customs/errors';
import { createIndexer, createMemoryLayerCache } from '@customs/indexer';
import { createFakeRegistry, fakeIndex, type FakeImage, type FakeRegistry } from '@customs/oci/testing';
import type { ScanImageJob } from '@customs/queue';
import type { ScanResult, Store } from '@customs/store';
import type { ScanAttestations } from './attest-scan.js';
import { reportSbomRenderers } from './sboms.js';
import { runScan, type RunScanDeps } from './run-scan.js';
import { debianImage, memoryStore, registryConfig } from './test-support/fixtures.js';

let store: Store;
let registry: FakeRegistry;
let amd64: FakeImage;
let arm64: FakeImage;
let indexDigest: string;

before(async () => {
  store = await memoryStore();
  amd64 = await debianImage('amd64');
  arm64 = await debianImage('arm64');
  const index = fakeIndex([{ content: amd64 }, { content: arm64 }]);
  indexDigest = index.manifest.digest;
  registry = await createFakeRegistry({ images: { 'team/app:multi': index, 'team/app:one': amd64 } });
});
after(async () => {
  await registry.close();
  await store.db.close();
});

const silent: RunScanDeps['logger'] = { info: () => undefined, child: () => silent };

function deps(scans: RunScanDeps['store']['scans'] = store.scans): RunScanDeps {
  return {
    config: { registries: [registryConfig(registry.host)] },
    store: { scans },
    artifacts: store.artifacts,
    indexer: createIndexer({ cache: createMemoryLayerCache() }),
    sboms: reportSbomRenderers(),
    logger: silent,
    registryClient: { retry: { maxAttempts: 1 } },
    now: Date.now,
  };
}

async function jobFor(digest: string): Promise<ScanImageJob> {
  const where = { registry: registry.host, repository: 'team/app' };
  const scan = await store.scans.create({ ...where, digest, tag: null, trigger: 'api' });
  return { v: 1, scanId: scan.id, ...where, digest, tag: null, requestedAt: new Date().toISOString() };
}

describe('runScan', () => {
  it('indexes every platform of an index and publishes it all with the scan’s done, in one call', async () => {
    const job = await jobFor(indexDigest);
    const published: ScanResult[] = [];
    const scans: RunScanDeps['store']['scans'] = {
      ...store.scans,
      async finished(id, result) {
        // Nothing of the scan is visible before its done: inventories, children and status go together.
        assert.equal((await store.scans.get(id))?.status, 'running');
        assert.equal(await store.images.get(amd64.manifest.digest), null);
        assert.deepEqual(await store.images.children(indexDigest), []);
        // The SBOMs are stored first, so a visible inventory always has them.
        assert.notEqual(await store.artifacts.get(arm64.manifest.digest, 'sbom-spdx'), null);
        published.push(result ?? {});
        await store.scans.finished(id, result);
      },
    };
    const run = await runScan(deps(scans), job);
    // The two platforms share their one layer: it is fetched once and found in the cache once.
    assert.deepEqual(run, { status: 'done', stats: { layersCached: 1, layersFetched: 1 } });
    assert.equal(published.length, 1);
    assert.deepEqual(
      published[0]?.images?.map((one) => one.image.manifestDigest),
      [amd64.manifest.digest, arm64.manifest.digest],
    );
    const scan = await store.scans.get(job.scanId);
    assert.deepEqual([scan?.status, scan?.layersCached, scan?.layersFetched], ['done', 1, 1]);
    assert.deepEqual(
      (await store.images.children(indexDigest)).map((child) => [child.digest, child.platform]).sort(),
      [
        [amd64.manifest.digest, 'linux/amd64'],
        [arm64.manifest.digest, 'linux/arm64'],
      ].sort(),
    );
    const stored = await store.images.get(amd64.manifest.digest);
    assert.ok((stored?.packages.length ?? 0) > 0);
    assert.notEqual(await store.artifacts.get(amd64.manifest.digest, 'sbom-cyclonedx'), null);
  });

  it('does nothing for a scan that is already done, and asks the registry nothing', async () => {
    const job = await jobFor(amd64.manifest.digest);
    await store.scans.finished(job.scanId, {});
    const requests = registry.requests.length;
    assert.deepEqual(await runScan(deps(), job), { status: 'already-done' });
    assert.equal(registry.requests.length, requests);
  });

  it('fails with SCAN_NOT_FOUND for a job whose scan record is gone', async () => {
    const job = { ...(await jobFor(amd64.manifest.digest)), scanId: '0b7e7f4e-4a8e-4f58-9a8a-1b2c3d4e5f60' };
    await assert.rejects(runScan(deps(), job), (error) => isCustomsError(error, 'SCAN_NOT_FOUND'));
  });
});

describe('runScan with attestations.push', () => {
  it('a push the registry refuses is a warning of the image, and the scan is done all the same', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = signerFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const described: string[] = [];
    const attestations: ScanAttestations = {
      signer,
      sbomFormat: 'spdx',
      describe: (_image, target) => {
        described.push(target);
        return Promise.resolve({ result: { findings: [] }, db: { uri: 'test', version: '1' } });
      },
    };
    // The fake registry serves pulls only: every upload it is sent fails.
    const job = await jobFor(amd64.manifest.digest);
    const run = await runScan({ ...deps(), attestations }, job);
    assert.equal(run.status, 'done');
    assert.equal((await store.scans.get(job.scanId))?.status, 'done');
    assert.deepEqual(described, [`${registry.host}/team/app@${amd64.manifest.digest}`]);
    const warnings = (await store.images.get(amd64.manifest.digest))?.warnings ?? [];
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(
      warnings[0] ?? '',
      /^attestation not pushed to the registry: .*POST \/v2\/team\/app\/blobs\/uploads\/ answered HTTP 404/,
    );
  });
});
