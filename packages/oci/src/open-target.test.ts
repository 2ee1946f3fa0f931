import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { openTarget } from './open-target.js';
import { DEFAULT_PLATFORM_SELECTOR } from './platform.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/oci', import.meta.url));
const layout = join(fixtures, 'umoci-layout');
const dockerArchive = join(fixtures, 'skopeo-tiny.docker-archive.tar');
const ociArchive = join(fixtures, 'skopeo-multi.oci-archive.tar');

async function describeTarget(target: string): Promise<string> {
  const source = await openTarget(target);
  await source.close();
  return source.description;
}

const invalidTarget = (pattern: RegExp) => (error: unknown) =>
  isCustomsError(error, 'INVALID_TARGET') && pattern.test(error.message) && Boolean(error.hint);

describe('openTarget', () => {
  it('opens existing paths by what they are', async () => {
    assert.equal(await describeTarget(layout), `OCI layout ${layout}`);
    assert.equal(await describeTarget(`${layout}:tiny`), `OCI layout ${layout}:tiny`);
    assert.equal(await describeTarget(dockerArchive), `image archive ${dockerArchive}`);
    assert.equal(
      await describeTarget(`${dockerArchive}:example.test/tiny:1.0`),
      `image archive ${dockerArchive}:example.test/tiny:1.0`,
    );
    assert.equal(await describeTarget(fixtures), `root filesystem ${fixtures}`);
  });

  it('resolves what it opened: a layout tag, an archive, a root filesystem', async () => {
    const [fromLayout] = await (await openTarget(`${layout}:tiny`)).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.equal(
      fromLayout?.manifestDigest,
      'sha256:60d0c136a11ba6064dd12b4cbd780b9eea77a89cb90518e385161150310a82c1',
    );
    const [fromArchive] = await (await openTarget(ociArchive)).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.equal(
      fromArchive?.indexDigest,
      'sha256:b1daf36a29bd76437f9350a0d1ca62a83458d874310cc000fe58c9d9692c0e69',
    );
    const [rootfs] = await (await openTarget(fixtures)).resolve(DEFAULT_PLATFORM_SELECTOR);
    assert.deepEqual(
      [rootfs?.rootfs, rootfs?.layers, rootfs?.manifestDigest, rootfs?.config],
      [fixtures, [], null, null],
    );
  });

  it('honours explicit transports', async () => {
    assert.equal(await describeTarget(`oci:${layout}:multi`), `OCI layout ${layout}:multi`);
    assert.equal(await describeTarget(`oci-archive:${ociArchive}`), `image archive ${ociArchive}`);
    assert.equal(
      await describeTarget(`docker-archive:${dockerArchive}:1.0`),
      `image archive ${dockerArchive}:1.0`,
    );
    assert.equal(await describeTarget(`dir:${fixtures}`), `root filesystem ${fixtures}`);
    assert.equal(
      await describeTarget('docker://debian'),
      'docker.io/library/debian:latest (registry docker.io)',
    );
    assert.equal(await describeTarget('registry:ghcr.io/org/app:1'), 'ghcr.io/org/app:1 (registry ghcr.io)');
    await assert.rejects(openTarget(`oci:${fixtures}`), invalidTarget(/not an OCI layout directory/));
    await assert.rejects(openTarget(`dir:${dockerArchive}`), invalidTarget(/is not a directory/));
    await assert.rejects(openTarget(`docker-archive:${layout}`), invalidTarget(/is not a file/));
    await assert.rejects(openTarget('oci:/no/such/layout'), invalidTarget(/does not exist/));
  });

  it('takes anything else as a registry reference, a host:port included', async () => {
    assert.equal(
      await describeTarget('debian:bookworm'),
      'docker.io/library/debian:bookworm (registry docker.io)',
    );
    assert.equal(await describeTarget('oci:5000/team/app'), 'oci:5000/team/app:latest (registry oci:5000)');
    assert.equal(
      await describeTarget('localhost:5000/app@sha256:' + 'b'.repeat(64)),
      `localhost:5000/app@sha256:${'b'.repeat(64)} (registry localhost:5000)`,
    );
  });

  it('rejects what is neither a path nor a reference with INVALID_TARGET', async () => {
    await assert.rejects(openTarget(''), invalidTarget(/it is empty/));
    await assert.rejects(openTarget('./no/such/dir'), invalidTarget(/no such file or directory/));
    await assert.rejects(openTarget('imgae.tar'), invalidTarget(/no such file or directory/));
    await assert.rejects(openTarget('Not A Reference!'), invalidTarget(/nor a valid image reference/));
    await assert.rejects(openTarget(`${fixtures}/missing:tag`), invalidTarget(/no such file or directory/));
  });
});
