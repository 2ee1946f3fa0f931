import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { after } from 'node:test';
import { defaultAnalyzers } from '@customs/inventory';
import { openTarget, type ResolvedImage } from '@customs/oci';
import { buildDockerArchive, fakeImage } from '@customs/oci/testing';
import { createSecretScanner } from '@customs/secrets';
import { rsaPrivateKeyPem } from '@customs/secrets/testing';
import { syntheticTar } from '@customs/layers/testing';
import { createIndexer } from './index-image.js';
import { createMemoryLayerCache, type LayerCache } from './layer-cache.js';

// A docker save archive stores its layers as uncompressed tars: `customs inventory` walks them in
// place (reading only the files analyzers want), the secret scan streams them whole. Generated
// credentials only: a fresh RSA key each run.
const key = rsaPrivateKeyPem();

/** A tar of the given files. */
async function tarOf(files: Record<string, string | Buffer>): Promise<Buffer> {
  const tar = await syntheticTar(Object.entries(files).map(([name, data]) => ({ name, data })));
  return tar;
}

const dpkgStatus = `Package: zlib1g
Status: install ok installed
Version: 1:1.2.13.dfsg-1
Architecture: amd64

Package: tar
Status: install ok installed
Version: 1.34+dfsg-1.2
Architecture: amd64
`;
const layerFiles: Array<Record<string, string>> = [
  {
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n',
    'var/lib/dpkg/status': dpkgStatus,
    'root/key.pem': key,
    'app/readme': 'hello',
  },
  {
    'root/.wh.key.pem': '',
    'app/node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', version: '1.3.0' }),
  },
];
const regularFiles = 5; // 4, then 1: a whiteout is no file

const work = await mkdtemp(join(tmpdir(), 'customs-index-in-place-'));
after(() => rm(work, { recursive: true, force: true }));

async function archiveImage(): Promise<ResolvedImage> {
  const layers = await Promise.all(layerFiles.map(tarOf));
  const image = fakeImage({ layers, format: 'docker' });
  const file = join(work, 'app-docker.tar');
  await writeFile(file, await buildDockerArchive([{ image, repoTags: ['demo/app:1'] }]));
  const [resolved] = await (await openTarget(file)).resolve({ kind: 'all' });
  assert.ok(resolved);
  return resolved;
}

/** The diffIds the walks of the image's layers computed: null for a layer walked in place. */
async function diffIdsIn(cache: LayerCache, image: ResolvedImage): Promise<Array<string | null | undefined>> {
  return Promise.all(image.layers.map(async (layer) => (await cache.get(layer.digest, [])).facts?.diffId));
}

test('an inventory of a docker save archive walked in place is the inventory of the same layers streamed', async () => {
  const image = await archiveImage();
  const inPlaceCache = createMemoryLayerCache();
  const streamedCache = createMemoryLayerCache();
  const inPlace = await createIndexer({ analyzers: defaultAnalyzers, cache: inPlaceCache }).index(image);
  const streamed = await createIndexer({ analyzers: defaultAnalyzers, cache: streamedCache }).index({
    ...image,
    localLayer: () => null,
  });
  assert.deepEqual(inPlace, streamed);
  assert.deepEqual(inPlace.packages.map((found) => found.name).sort(), ['left-pad', 'tar', 'zlib1g']);
  assert.deepEqual(await diffIdsIn(inPlaceCache, image), [null, null], 'walked in place, not hashed');
  assert.deepEqual(
    await diffIdsIn(streamedCache, image),
    image.layers.map((layer) => layer.diffId),
    'streamed and verified',
  );
});

test('with the secret scanner, every file of every layer is read: the layers are streamed and verified', async () => {
  const image = await archiveImage();
  const cache = createMemoryLayerCache();
  const indexed = await createIndexer({
    analyzers: defaultAnalyzers,
    secrets: createSecretScanner(),
    cache,
  }).index(image);
  assert.equal(indexed.secrets?.scannedFiles, regularFiles);
  assert.deepEqual(
    indexed.secrets?.findings.map((finding) => [finding.ruleId, finding.path, finding.removedInLayer]),
    [['private-key', 'root/key.pem', 1]],
  );
  assert.deepEqual(
    await diffIdsIn(cache, image),
    image.layers.map((layer) => layer.diffId),
  );
});
