import assert from 'node:assert/strict';
import test, { after } from 'node:test';
import { gzipSync } from 'node:zlib';
import { defaultAnalyzers } from '@customs/inventory';
import { openTarget } from '@customs/oci';
import { createFakeRegistry, fakeImage, type FakeRegistry } from '@customs/oci/testing';
import { createSecretScanner } from '@customs/secrets';
import { checksummedToken, rsaPrivateKeyPem } from '@customs/secrets/testing';
import { syntheticTar } from '@customs/layers/testing';
import { createIndexer } from './index-image.js';
import { createMemoryLayerCache } from './layer-cache.js';

// Generated credentials only: a fresh RSA key and a checksummed GitHub-format token each run.
const key = rsaPrivateKeyPem();
const token = checksummedToken('ghp_');

/** A gzip tar of the given files. */
async function layerOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const tar = await syntheticTar(Object.entries(files).map(([name, data]) => ({ name, data })));
  return gzipSync(tar);
}

const layers = [
  await layerOf({ 'root/key.pem': key, 'app/config.yml': `token: ${token}\n`, 'app/readme': 'hello' }),
  await layerOf({ 'root/.wh.key.pem': '' }),
  await layerOf({ 'app/config.yml': 'token: from the environment\n' }),
];

const registries: FakeRegistry[] = [];
after(() => Promise.all(registries.map((registry) => registry.close())));

async function resolveImage() {
  const image = fakeImage({
    layers,
    layerMediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    diffIds: [],
    history: layers.map((_, index) => ({ created_by: `step ${index + 1}` })),
  });
  const registry = await createFakeRegistry({ images: { 'demo/secrets:1': image } });
  registries.push(registry);
  const [resolved] = await (await openTarget(`${registry.host}/demo/secrets:1`)).resolve({ kind: 'all' });
  assert.ok(resolved);
  return { registry, image: resolved };
}

test('secrets are found in the same pass and marked with the layer that deletes or overwrites them', async () => {
  const { registry, image } = await resolveImage();
  const indexed = await createIndexer({ analyzers: defaultAnalyzers, secrets: createSecretScanner() }).index(
    image,
  );
  assert.equal(registry.stats.blobGets - 1, 3, 'each layer downloaded once');
  assert.deepEqual(
    indexed.secrets?.findings.map((f) => [f.ruleId, f.path, f.line, f.layerIndex, f.removedInLayer]),
    [
      ['private-key', 'root/key.pem', 1, 0, 1],
      ['github-pat', 'app/config.yml', 1, 0, 2],
    ],
  );
  assert.equal(indexed.secrets?.findings[0]?.layerDigest, image.layers[0]?.digest);
  assert.equal(indexed.secrets?.scannedFiles, 4, '3 files, then 1: a whiteout is no file');
  const text = JSON.stringify(indexed);
  assert.ok(!text.includes(token) && !text.includes(key.split('\n')[1] ?? ''), 'no secret in the inventory');
});

test('secret results are cached per layer; adding the scanner walks layers only for it', async () => {
  const { registry, image } = await resolveImage();
  const cache = createMemoryLayerCache();
  const layerGets = () => registry.stats.blobGets - 1;
  const packagesOnly = await createIndexer({ analyzers: defaultAnalyzers, cache }).index(image);
  assert.equal(packagesOnly.secrets, undefined);
  assert.equal(layerGets(), 3);
  const withSecrets = await createIndexer({
    analyzers: defaultAnalyzers,
    cache,
    secrets: createSecretScanner(),
  });
  const first = await withSecrets.index(image);
  assert.equal(layerGets(), 6, 'the secret scan had no cached output yet');
  const again = await withSecrets.index(image);
  assert.equal(layerGets(), 6, 'now every layer is cached for both');
  assert.deepEqual(again.secrets, first.secrets);
  await createIndexer({
    analyzers: defaultAnalyzers,
    cache,
    secrets: createSecretScanner({ skipPaths: ['root'] }),
  }).index(image);
  assert.equal(layerGets(), 9, 'other scanner options are another cache entry');
});
