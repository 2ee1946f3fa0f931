import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { extract } from 'tar-stream';
import { isCustomsError } from '@customs/errors';
import type { PlatformSelector, ResolvedImage } from '../image-source.js';
import { mediaTypes } from '../manifest/media-types.js';
import { DEFAULT_PLATFORM_SELECTOR } from '../platform.js';
import { buildDockerArchive, buildOciArchive, buildTar, fakeImage } from '../testing/index.js';
import { openImageArchive } from './local-sources.js';

const fixtures = fileURLToPath(new URL('../../../../test/fixtures/oci', import.meta.url));
const arm64: PlatformSelector = { kind: 'one', platform: { os: 'linux', architecture: 'arm64' } };

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function layerContents(image: ResolvedImage | undefined): Promise<string[]> {
  assert.ok(image);
  const contents: string[] = [];
  for (const layer of image.layers) contents.push((await collect(await image.openLayer(layer))).toString());
  return contents;
}

/** The regular files of an uncompressed layer tar, by name. */
async function tarFiles(bytes: Buffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => {
      if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (header.type === 'file') files.set(header.name, Buffer.concat(chunks).toString());
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) =>
    reader.on('finish', () => resolve()).on('error', reject),
  );
  Readable.from([bytes]).pipe(reader);
  await done;
  return files;
}

describe('archives written by skopeo (real fixtures)', () => {
  it('reads an oci-archive holding a two-platform index', async () => {
    const file = join(fixtures, 'skopeo-multi.oci-archive.tar');
    const [amd] = await openImageArchive(file).resolve(DEFAULT_PLATFORM_SELECTOR);
    const [arm] = await openImageArchive(file, { tag: 'multi' }).resolve(arm64);
    assert.deepEqual(
      [amd?.manifestDigest, arm?.manifestDigest, arm?.indexDigest],
      [
        'sha256:60d0c136a11ba6064dd12b4cbd780b9eea77a89cb90518e385161150310a82c1',
        'sha256:05c5b4b98556f1a941c99d352084fcc07fb6febf9f4dcce7746f2308cefbbfdf',
        'sha256:b1daf36a29bd76437f9350a0d1ca62a83458d874310cc000fe58c9d9692c0e69',
      ],
    );
    const layer = arm?.layers[0];
    assert.ok(arm && layer);
    const bytes = await collect(await arm.openLayer(layer));
    assert.deepEqual([bytes.length, layer.size, bytes[0], bytes[1]], [346, 346, 0x1f, 0x8b]);
  });

  it('reads a docker-archive: config by name, layer digest from its diff ID, layer read by byte range', async () => {
    const file = join(fixtures, 'skopeo-tiny.docker-archive.tar');
    const [image] = await openImageArchive(file, { tag: 'example.test/tiny:1.0' }).resolve(
      DEFAULT_PLATFORM_SELECTOR,
    );
    assert.ok(image);
    assert.deepEqual(
      [image.manifestDigest, image.indexDigest, image.configDigest, image.platform],
      [
        null,
        null,
        'sha256:10c31a2b5250ae54f2034614838fcdfdaf1b3586ec53c33dc4d70239cdd4e2bc',
        { os: 'linux', architecture: 'amd64' },
      ],
    );
    const diffId = 'sha256:b473bc5df0c26061ae0c676b67578d20425672cbff9794e277eed9fc81711b2a';
    assert.deepEqual(image.layers, [
      {
        digest: diffId,
        mediaType: mediaTypes.dockerLayer,
        size: 4096,
        diffId,
        createdBy: 'COPY os-release debian_version /etc/',
      },
    ]);
    const layer = image.layers[0];
    assert.ok(layer);
    const files = await tarFiles(await collect(await image.openLayer(layer)));
    assert.match(files.get('etc/debian_version') ?? '', /^12\.\d+\n$/);
    assert.match(files.get('etc/os-release') ?? '', /^PRETTY_NAME="Debian GNU\/Linux 12 \(bookworm\)"/);
    const [byTag] = await openImageArchive(file, { tag: '1.0' }).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.equal(byTag?.configDigest, image.configDigest);
    await assert.rejects(
      openImageArchive(file, { tag: 'other:2' }).resolve(DEFAULT_PLATFORM_SELECTOR),
      (error: unknown) => {
        return (
          isCustomsError(error, 'IMAGE_TAG_NOT_FOUND') &&
          /it holds: example\.test\/tiny:1\.0$/.test(error.message)
        );
      },
    );
  });
});

describe('archives built with tar-stream (synthetic)', () => {
  let directory = '';
  before(async () => (directory = await mkdtemp(join(tmpdir(), 'customs-archive-'))));
  after(() => rm(directory, { recursive: true, force: true }));
  const write = async (name: string, bytes: Buffer) => {
    const file = join(directory, name);
    await writeFile(file, bytes);
    return file;
  };

  const base = fakeImage({ layers: ['base layer'], format: 'docker' });
  const app = fakeImage({ layers: ['base layer', 'app layer'], format: 'docker' });

  it('reads a legacy docker save of two images sharing a (linked) layer, by repo tag', async () => {
    const file = await write(
      'save.tar',
      await buildDockerArchive([
        { image: base, repoTags: ['base:1'] },
        { image: app, repoTags: ['team/app:2', 'team/app:latest'] },
      ]),
    );
    const [image] = await openImageArchive(file, { tag: 'team/app:2' }).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.deepEqual(await layerContents(image), ['base layer', 'app layer']);
    assert.deepEqual(
      image?.layers.map((layer) => layer.digest),
      app.layers.map((layer) => layer.digest),
    );
    await assert.rejects(openImageArchive(file).resolve(DEFAULT_PLATFORM_SELECTOR), (error: unknown) => {
      return (
        isCustomsError(error, 'IMAGE_AMBIGUOUS') &&
        error.message === `${file} holds 2 images: base:1, team/app:2, team/app:latest`
      );
    });
  });

  it('reads a Docker ≥ 25 save through its OCI layout, or through manifest.json when asked', async () => {
    const file = await write(
      'save25.tar',
      await buildDockerArchive([{ image: app, repoTags: ['team/app:2'] }], 'oci'),
    );
    const [viaLayout] = await openImageArchive(file).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.equal(viaLayout?.manifestDigest, app.manifest.digest);
    const [viaManifest] = await openImageArchive(file, { format: 'docker' }).resolve(
      DEFAULT_PLATFORM_SELECTOR,
    );
    assert.equal(viaManifest?.manifestDigest, null);
    assert.deepEqual(await layerContents(viaManifest), ['base layer', 'app layer']);
  });

  it('picks an image of an oci-archive by ref name', async () => {
    const file = await write(
      'oci.tar',
      await buildOciArchive([
        { content: base, tag: 'one' },
        { content: app, tag: 'two' },
      ]),
    );
    const [image] = await openImageArchive(file, { tag: 'two' }).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.deepEqual(await layerContents(image), ['base layer', 'app layer']);
    await assert.rejects(openImageArchive(file).resolve(DEFAULT_PLATFORM_SELECTOR), (error: unknown) =>
      isCustomsError(error, 'IMAGE_AMBIGUOUS'),
    );
  });

  it('refuses a gzip-compressed archive with a hint, and a tar that is no image archive', async () => {
    const gz = await write(
      'save.tar.gz',
      gzipSync(await buildDockerArchive([{ image: base, repoTags: ['base:1'] }])),
    );
    await assert.rejects(openImageArchive(gz).resolve(DEFAULT_PLATFORM_SELECTOR), (error: unknown) => {
      return isCustomsError(error, 'ARCHIVE_COMPRESSED') && /gunzip -k/.test(error.hint ?? '');
    });
    const other = await write('other.tar', await buildTar([{ name: 'README', bytes: 'hello' }]));
    await assert.rejects(openImageArchive(other).resolve(DEFAULT_PLATFORM_SELECTOR), (error: unknown) =>
      isCustomsError(error, 'ARCHIVE_INVALID'),
    );
    await assert.rejects(
      openImageArchive(other, { format: 'oci' }).resolve(DEFAULT_PLATFORM_SELECTOR),
      (error: unknown) => isCustomsError(error, 'ARCHIVE_INVALID') && /no oci-layout/.test(error.message),
    );
  });

  it('refuses legacy layers whose digest cannot be known (diff IDs missing)', async () => {
    const unverifiable = fakeImage({ layers: ['x', 'y'], diffIds: ['sha256:' + 'a'.repeat(64)] });
    const file = await write(
      'nodiff.tar',
      await buildDockerArchive([{ image: unverifiable, repoTags: ['x:1'] }]),
    );
    await assert.rejects(openImageArchive(file).resolve(DEFAULT_PLATFORM_SELECTOR), (error: unknown) => {
      return (
        isCustomsError(error, 'ARCHIVE_INVALID') &&
        /the config has 1 diff IDs for 2 layers/.test(error.message)
      );
    });
  });
});
