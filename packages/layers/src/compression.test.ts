import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compressionOfMediaType, sniffCompression } from './compression.js';

describe('sniffCompression', () => {
  it('knows gzip and zstd by their magic bytes and reads anything else as a plain tar', () => {
    assert.equal(sniffCompression(Buffer.from([0x1f, 0x8b, 0x08, 0x00])), 'gzip');
    assert.equal(sniffCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
    assert.equal(sniffCompression(Buffer.from('etc/')), 'none');
    assert.equal(sniffCompression(Buffer.from([0x28, 0xb5, 0x2f])), 'none');
    assert.equal(sniffCompression(Buffer.alloc(0)), 'none');
  });
});

describe('compressionOfMediaType', () => {
  const cases: Array<[string, string | null]> = [
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
    ['application/vnd.oci.image.layer.v1.tar', 'none'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.diff.tar', 'none'],
    ['application/octet-stream', null],
  ];
  for (const [mediaType, expected] of cases) {
    it(`${mediaType} → ${String(expected)}`, () => assert.equal(compressionOfMediaType(mediaType), expected));
  }
});
