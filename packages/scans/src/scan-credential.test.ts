import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { createIndexer, createMemoryLayerCache } from '@customs/indexer';
import { createFakeRegistry, type FakeRegistry } from '@customs/oci/testing';
import type { ScanCredential, ScanCredentialKey, ScanCredentialStore } from '@customs/queue';
import type { Store } from '@customs/store';
import { requestScan, type RequestScanDeps } from './request-scan.js';
import { runScan, type RunScanDeps } from './run-scan.js';
import { reportSbomRenderers } from './sboms.js';
import { debianImage, memoryQueues, memoryStore, registryConfig } from './test-support/fixtures.js';

// A scan that brought its own registry credential (Harbor's robot account): stored beside the job,
// never in it, used for that registry and repository only, forgotten once the scan is done.

const ROBOT: ScanCredential = { username: 'robot$scan', password: 'r0bot-secret' };
let store: Store;
let registry: FakeRegistry;
let digest: string;

before(async () => {
  store = await memoryStore();
  const image = await debianImage();
  digest = image.manifest.digest;
  registry = await createFakeRegistry({
    images: { 'team/app:1.0': image, 'other/app:1.0': image },
    auth: 'basic',
    users: { [ROBOT.username]: ROBOT.password },
  });
});
after(async () => {
  await registry.close();
  await store.db.close();
});

function memoryCredentials(): ScanCredentialStore & { entries: Map<string, ScanCredential> } {
  const entries = new Map<string, ScanCredential>();
  const id = (key: ScanCredentialKey) => `${key.scanId} ${key.registry}/${key.repository}`;
  return {
    entries,
    put: async (key, credential) => void entries.set(id(key), credential),
    get: async (key) => entries.get(id(key)) ?? null,
    forget: async (key) => void entries.delete(id(key)),
  };
}

function requestDeps(credentials: ScanCredentialStore | null): RequestScanDeps {
  return {
    store,
    queues: memoryQueues(),
    now: () => new Date(),
    enqueueTimeoutMs: 5_000,
    dedupeWindowSeconds: 0,
    ...(credentials && { credentials: { store: credentials, ttlSeconds: 60 } }),
  };
}

const silent: RunScanDeps['logger'] = { info: () => undefined, child: () => silent };

function runDeps(credentials: ScanCredentialStore): RunScanDeps {
  return {
    config: { registries: [registryConfig(registry.host)] },
    store,
    artifacts: store.artifacts,
    indexer: createIndexer({ cache: createMemoryLayerCache() }),
    sboms: reportSbomRenderers(),
    logger: silent,
    registryClient: { retry: { maxAttempts: 1 } },
    scanCredentials: credentials,
    now: Date.now,
  };
}

describe('a scan with its own registry credential', () => {
  it('keeps the credential out of the job and the scan row, pulls with it, then forgets it', async () => {
    const credentials = memoryCredentials();
    const deps = requestDeps(credentials);
    const target = { registry: registryConfig(registry.host), repository: 'team/app', digest, tag: '1.0' };
    const { scan } = await requestScan(deps, { ...target, trigger: 'api', credential: ROBOT });
    const job = (deps.queues as ReturnType<typeof memoryQueues>).scan.get(digest);
    assert.ok(job);
    assert.ok(!JSON.stringify(job).includes(ROBOT.password), 'the job carries the password');
    assert.ok(!JSON.stringify(scan).includes(ROBOT.password), 'the scan row carries the password');
    assert.equal(credentials.entries.size, 1);

    const run = await runScan(runDeps(credentials), job);
    assert.equal(run.status, 'done');
    assert.ok(registry.requests.some((request) => request.authorization?.startsWith('Basic ')));
    assert.equal(credentials.entries.size, 0, 'the credential outlived the scan');
  });

  it('is not used for another repository: that pull has no credential and is refused', async () => {
    const credentials = memoryCredentials();
    const where = { registry: registry.host, repository: 'other/app' };
    const scan = await store.scans.create({ ...where, digest, tag: null, trigger: 'api' });
    await credentials.put({ scanId: scan.id, registry: registry.host, repository: 'team/app' }, ROBOT, 60);
    const job = {
      v: 1 as const,
      scanId: scan.id,
      ...where,
      digest,
      tag: null,
      requestedAt: new Date().toISOString(),
    };
    await assert.rejects(runScan(runDeps(credentials), job), (error) =>
      isCustomsError(error, 'REGISTRY_AUTH_FAILED'),
    );
  });

  it('refuses a credential when there is nowhere to keep it', async () => {
    const target = { registry: registryConfig(registry.host), repository: 'team/app', digest, tag: null };
    await assert.rejects(
      requestScan(requestDeps(null), { ...target, trigger: 'api', credential: ROBOT }),
      (error) => isCustomsError(error, 'INVALID_OPTION'),
    );
  });
});
