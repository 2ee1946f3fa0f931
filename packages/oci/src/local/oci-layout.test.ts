import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { PlatformSelector } from '../image-source.js';
import { mediaTypes } from '../manifest/media-types.js';
import { DEFAULT_PLATFORM_SELECTOR } from '../platform.js';
import { fakeAttestation, fakeImage, fakeIndex, writeOciLayout } from '../testing/index.js';
import { openOciLayout } from './local-sources.js';

const fixtures = fileURLToPath(new URL('../../../../test/fixtures/oci', import.meta.url));
const arm64: PlatformSelector = { kind: 'one', platform: { os: 'linux', architecture: 'arm64' } };

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('OCI layout written by umoci (real fixture)', () => {
  const layout = join(fixtures, 'umoci-layout');

  it('resolves a tag to its manifest, with history and diff IDs', async () => {
    const [image] = await openOciLayout(layout, { tag: 'tiny' }).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.ok(image);
    assert.equal(image.reference, `${layout}:tiny`);
    assert.equal(
      image.manifestDigest,
      'sha256:60d0c136a11ba6064dd12b4cbd780b9eea77a89cb90518e385161150310a82c1',
    );
    assert.equal(
      image.configDigest,
      'sha256:10c31a2b5250ae54f2034614838fcdfdaf1b3586ec53c33dc4d70239cdd4e2bc',
    );
    assert.deepEqual(image.platform, { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(image.layers, [
      {
        digest: 'sha256:a3a40573d2bb086465527003487850f2db663a4783b6c69c9419a353a33a3319',
        mediaType: mediaTypes.ociLayerGzip,
        size: 347,
        diffId: 'sha256:b473bc5df0c26061ae0c676b67578d20425672cbff9794e277eed9fc81711b2a',
        createdBy: 'COPY os-release debian_version /etc/',
      },
    ]);
    const layer = image.layers[0];
    assert.ok(layer);
    const bytes = await collect(await image.openLayer(layer));
    assert.deepEqual([bytes.length, bytes[0], bytes[1]], [347, 0x1f, 0x8b]);
  });

  it('applies platform selection to a tag that names an index (made by oci-make-index)', async () => {
    const source = openOciLayout(layout, { tag: 'multi' });
    const [image] = await source.resolve(arm64);
    assert.deepEqual(
      [image?.manifestDigest, image?.indexDigest, image?.reference],
      [
        'sha256:05c5b4b98556f1a941c99d352084fcc07fb6febf9f4dcce7746f2308cefbbfdf',
        'sha256:b1daf36a29bd76437f9350a0d1ca62a83458d874310cc000fe58c9d9692c0e69',
        `${layout}:multi (linux/arm64)`,
      ],
    );
    assert.equal((await source.resolve({ kind: 'all' })).length, 2);
  });

  it('asks for a tag when the layout holds several, and lists them', async () => {
    await assert.rejects(openOciLayout(layout).resolve(DEFAULT_PLATFORM_SELECTOR), (error: unknown) => {
      return (
        isCustomsError(error, 'IMAGE_AMBIGUOUS') &&
        error.message === `${layout} holds 3 images: tiny, tiny-arm64, multi`
      );
    });
    await assert.rejects(
      openOciLayout(layout, { tag: 'nope' }).resolve(DEFAULT_PLATFORM_SELECTOR),
      (error: unknown) => {
        return (
          isCustomsError(error, 'IMAGE_TAG_NOT_FOUND') &&
          /it holds: tiny, tiny-arm64, multi$/.test(error.message)
        );
      },
    );
  });
});

describe('OCI layouts written by writeOciLayout (synthetic)', () => {
  let directory = '';
  before(async () => (directory = await mkdtemp(join(tmpdir(), 'customs-layout-'))));
  after(() => rm(directory, { recursive: true, force: true }));

  const amd = fakeImage({ layers: ['amd'] });
  const arm = fakeImage({ layers: ['arm'], platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });

  it('uses the only image when no tag is given', async () => {
    const dir = join(directory, 'single');
    await writeOciLayout(dir, [{ content: amd }]);
    const [image] = await openOciLayout(dir).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.equal(image?.manifestDigest, amd.manifest.digest);
  });

  it('treats several unnamed entries as one multi-platform index (ko/crane style)', async () => {
    const dir = join(directory, 'unnamed');
    await writeOciLayout(dir, [
      { content: amd, platform: amd.platform },
      { content: arm, platform: arm.platform },
    ]);
    const [image] = await openOciLayout(dir).resolve(arm64);
    assert.deepEqual([image?.manifestDigest, image?.indexDigest], [arm.manifest.digest, null]);
  });

  it('skips attestations in a tagged index', async () => {
    const dir = join(directory, 'attested');
    await writeOciLayout(dir, [
      { content: fakeIndex([{ content: amd }, fakeAttestation(amd), { content: arm }]), tag: 'v1' },
    ]);
    const all = await openOciLayout(dir, { tag: 'v1' }).resolve({ kind: 'all' });
    assert.deepEqual(
      all.map((image) => image.manifestDigest),
      [amd.manifest.digest, arm.manifest.digest],
    );
  });

  it('verifies the config and the layers it reads against their digests', async () => {
    const dir = join(directory, 'tampered');
    await writeOciLayout(dir, [{ content: amd }]);
    const configFile = join(dir, 'blobs', 'sha256', amd.config.digest.slice(7));
    await writeFile(configFile, amd.config.bytes.toString().replace('amd64', 'AMD64'));
    await assert.rejects(openOciLayout(dir).resolve(DEFAULT_PLATFORM_SELECTOR), (error: unknown) => {
      return (
        isCustomsError(error, 'BLOB_DIGEST_MISMATCH') &&
        error.message.startsWith(`config ${amd.config.digest} has digest sha256:`)
      );
    });
    await writeFile(configFile, amd.config.bytes);
    const layer = amd.layers[0];
    assert.ok(layer);
    await writeFile(join(dir, 'blobs', 'sha256', layer.digest.slice(7)), 'AMD');
    const [image] = await openOciLayout(dir).resolve(DEFAULT_PLATFORM_SELECTOR);
    const described = image?.layers[0];
    assert.ok(image && described);
    await assert.rejects(collect(await image.openLayer(described)), (error: unknown) => {
      return isCustomsError(error, 'BLOB_DIGEST_MISMATCH') && error.context.layer === layer.digest;
    });
  });

  it('rejects a directory without oci-layout, and a missing blob', async () => {
    await assert.rejects(
      openOciLayout(fixtures).resolve(DEFAULT_PLATFORM_SELECTOR),
      (error: unknown) =>
        isCustomsError(error, 'OCI_LAYOUT_INVALID') && /oci-layout is missing/.test(error.message),
    );
    const dir = join(directory, 'missing');
    await writeOciLayout(dir, [{ content: amd }]);
    await rm(join(dir, 'blobs', 'sha256', amd.config.digest.slice(7)));
    await assert.rejects(
      openOciLayout(dir).resolve(DEFAULT_PLATFORM_SELECTOR),
      (error: unknown) =>
        isCustomsError(error, 'BLOB_NOT_FOUND') &&
        error.message === `blob ${amd.config.digest} not found in ${dir}`,
    );
  });
});
