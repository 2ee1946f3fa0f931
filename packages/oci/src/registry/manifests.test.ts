import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { PlatformSelector } from '../image-source.js';
import { mediaTypes } from '../manifest/media-types.js';
import {
  createFakeRegistry,
  fakeAttestation,
  fakeImage,
  fakeIndex,
  type FakeContent,
  type FakeImage,
  type FakeRegistry,
} from '../testing/index.js';
import { openRegistryImage } from './registry-source.js';

const amd64 = fakeImage({
  layers: ['base', 'app'],
  history: [
    { created_by: 'ADD rootfs.tar /' },
    { created_by: 'ENV X=1', empty_layer: true },
    { created_by: 'COPY app /app' },
  ],
});
const arm64 = fakeImage({
  layers: ['arm base'],
  platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
});
const armv7 = fakeImage({ layers: ['arm32'], platform: { os: 'linux', architecture: 'arm', variant: 'v7' } });
const multi = fakeIndex([{ content: amd64 }, fakeAttestation(amd64), { content: arm64 }, { content: armv7 }]);
const dockerList = fakeIndex([{ content: fakeImage({ layers: ['d'], format: 'docker' }) }], {
  format: 'docker',
});
const nested = fakeIndex([{ content: fakeIndex([{ content: arm64 }]) }, { content: amd64 }]);

const registries: FakeRegistry[] = [];
after(() => Promise.all(registries.map((registry) => registry.close())));

async function serve(images: Record<string, FakeContent>): Promise<FakeRegistry> {
  const registry = await createFakeRegistry({ images });
  registries.push(registry);
  return registry;
}

const one = (os: string, architecture: string, variant?: string): PlatformSelector => ({
  kind: 'one',
  platform: variant ? { os, architecture, variant } : { os, architecture },
});

async function resolve(reference: string, selector: PlatformSelector = one('linux', 'amd64')) {
  const source = openRegistryImage(reference, { sleep: async () => {} });
  try {
    return await source.resolve(selector);
  } finally {
    await source.close();
  }
}

function manifestDigest(content: FakeImage): string {
  return content.manifest.digest;
}

describe('manifests from a registry', () => {
  it('resolves a tag to its manifest, config and described layers', async () => {
    const registry = await serve({ 'demo/app:1.0': amd64 });
    const [image] = await resolve(`${registry.host}/demo/app:1.0`);
    assert.ok(image);
    assert.equal(image.reference, `${registry.host}/demo/app:1.0`);
    assert.equal(image.manifestDigest, manifestDigest(amd64));
    assert.equal(image.indexDigest, null);
    assert.equal(image.configDigest, amd64.config.digest);
    assert.deepEqual(image.platform, { os: 'linux', architecture: 'amd64' });
    assert.equal(image.rootfs, null);
    assert.deepEqual(
      image.layers.map((l) => [l.digest, l.mediaType, l.size, l.createdBy]),
      [
        [amd64.layers[0]?.digest, mediaTypes.ociLayer, 4, 'ADD rootfs.tar /'],
        [amd64.layers[1]?.digest, mediaTypes.ociLayer, 3, 'COPY app /app'],
      ],
    );
    assert.deepEqual(
      image.config?.rootfs?.diff_ids,
      image.layers.map((l) => l.diffId),
    );
  });

  it('resolves by digest and refuses bytes that do not hash to it', async () => {
    const registry = await serve({ 'demo/app:1.0': amd64 });
    const byDigest = `${registry.host}/demo/app@${manifestDigest(amd64)}`;
    assert.equal((await resolve(byDigest))[0]?.manifestDigest, manifestDigest(amd64));
    registry.replaceBlob(
      manifestDigest(amd64),
      Buffer.from(amd64.manifest.bytes.toString().replace('"size":4', '"size":5')),
    );
    await assert.rejects(
      resolve(byDigest),
      (error: unknown) =>
        isCustomsError(error, 'MANIFEST_DIGEST_MISMATCH') && error.context.image === byDigest,
    );
  });

  it('computes the digest of a manifest fetched by tag from its bytes', async () => {
    const registry = await serve({ 'demo/app:1.0': amd64 });
    const altered = Buffer.from(
      amd64.manifest.bytes.toString().replace('"schemaVersion":2', '"schemaVersion": 2'),
    );
    registry.replaceBlob(manifestDigest(amd64), altered);
    const [image] = await resolve(`${registry.host}/demo/app:1.0`);
    assert.notEqual(image?.manifestDigest, manifestDigest(amd64));
    assert.equal(image?.manifestDigest?.length, 71);
  });

  it('picks linux/amd64 from an index by default, and the asked platform otherwise', async () => {
    const registry = await serve({ 'demo/multi:1': multi });
    const reference = `${registry.host}/demo/multi:1`;
    const [chosen] = await resolve(reference);
    assert.equal(chosen?.manifestDigest, manifestDigest(amd64));
    assert.equal(chosen?.indexDigest, multi.manifest.digest);
    assert.equal(chosen?.reference, `${reference} (linux/amd64)`);
    const [arm] = await resolve(reference, one('linux', 'arm64'));
    assert.deepEqual(
      [arm?.manifestDigest, arm?.platform],
      [manifestDigest(arm64), { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    );
    const [v7] = await resolve(reference, one('linux', 'arm', 'v7'));
    assert.equal(v7?.manifestDigest, manifestDigest(armv7));
    await assert.rejects(
      resolve(reference, one('linux', 'arm', 'v6')),
      (error: unknown) =>
        isCustomsError(error, 'PLATFORM_NOT_FOUND') &&
        error.message ===
          'no image for platform linux/arm/v6; available: linux/amd64, linux/arm64/v8, linux/arm/v7',
    );
  });

  it('resolves every runnable image with all, skipping the attestation', async () => {
    const registry = await serve({ 'demo/multi:1': multi });
    const images = await resolve(`${registry.host}/demo/multi:1`, { kind: 'all' });
    assert.deepEqual(
      images.map((image) => image.manifestDigest),
      [amd64, arm64, armv7].map(manifestDigest),
    );
  });

  it('reads Docker manifest lists and nested indexes', async () => {
    const registry = await serve({ 'demo/list:1': dockerList, 'demo/nested:1': nested });
    const [fromList] = await resolve(`${registry.host}/demo/list:1`);
    assert.equal(fromList?.layers[0]?.mediaType, mediaTypes.dockerLayer);
    const [fromNested] = await resolve(`${registry.host}/demo/nested:1`, one('linux', 'arm64'));
    assert.deepEqual(
      [fromNested?.manifestDigest, fromNested?.indexDigest],
      [manifestDigest(arm64), nested.manifest.digest],
    );
  });

  it('reports an unknown tag as MANIFEST_NOT_FOUND naming registry and repository', async () => {
    const registry = await serve({ 'demo/app:1.0': amd64 });
    await assert.rejects(resolve(`${registry.host}/demo/app:2.0`), (error: unknown) => {
      return (
        isCustomsError(error, 'MANIFEST_NOT_FOUND') &&
        error.message === `manifest demo/app:2.0 not found on ${registry.host}`
      );
    });
  });

  it('refuses a schema 1 manifest with UNSUPPORTED_MANIFEST', async () => {
    const body = Buffer.from(
      JSON.stringify({ schemaVersion: 1, name: 'demo/old', tag: '1', fsLayers: [], history: [] }),
    );
    const schema1: FakeImage = {
      ...amd64,
      manifest: { ...amd64.manifest, mediaType: mediaTypes.dockerManifest, bytes: body },
    };
    const registry = await serve({ 'demo/old:1': schema1 });
    await assert.rejects(
      resolve(`${registry.host}/demo/old:1`),
      (error: unknown) => isCustomsError(error, 'UNSUPPORTED_MANIFEST') && /schema 1/.test(error.message),
    );
  });
});
