import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { CollectedFile, LayerScanOptions } from './layer-scan.js';
import { scanLayer } from './scan-layer.js';
import {
  blobStream,
  gzipCompress,
  syntheticTar,
  zstdCompress,
  type SyntheticEntry,
} from './testing/synthetic-tar.js';

// Every layer in this file is SYNTHETIC: built here with tar-stream (and gzip/zstd), not taken from an image.

const osRelease = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const entries: SyntheticEntry[] = [
  { name: 'etc/', type: 'directory', mode: 0o755 },
  { name: 'etc/os-release', data: osRelease },
  { name: 'usr/bin/tool', data: 'binary', mode: 0o755 },
  { name: 'var/lib/dpkg/status', data: 'Package: base-files\n' },
];
const wantsEtcAndDpkg = (path: string): boolean =>
  path.startsWith('etc/') || path.startsWith('var/lib/dpkg/');

function byPath(files: CollectedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [file.path, file.linkTarget ?? file.data.toString('utf8')]));
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

describe('scanLayer on each compression', () => {
  for (const [name, compress] of [
    ['gzip', gzipCompress],
    ['zstd', zstdCompress],
    ['plain tar', (tar: Buffer) => tar],
  ] as const) {
    it(`reads a ${name} layer: files asked for, counts, diffId`, async () => {
      const tar = await syntheticTar(entries);
      const blob = compress(tar);
      const scan = await scanLayer(blobStream(blob, 1000), { wants: wantsEtcAndDpkg });
      assert.deepEqual(byPath(scan.files), {
        'etc/os-release': osRelease,
        'var/lib/dpkg/status': 'Package: base-files\n',
      });
      assert.equal(scan.entries, 4);
      assert.equal(scan.compressedBytes, blob.length);
      assert.equal(scan.uncompressedBytes, tar.length);
      assert.equal(scan.diffId, sha256(tar));
      assert.deepEqual(scan.warnings, []);
    });
  }

  it('reads every member of a multi-member gzip', async () => {
    const tar = await syntheticTar(entries);
    const blob = Buffer.concat([gzipCompress(tar.subarray(0, 700)), gzipCompress(tar.subarray(700))]);
    const scan = await scanLayer(blobStream(blob), { wants: wantsEtcAndDpkg });
    assert.equal(scan.diffId, sha256(tar));
    assert.deepEqual(Object.keys(byPath(scan.files)).sort(), ['etc/os-release', 'var/lib/dpkg/status']);
  });

  it('reads every zstd frame and skips skippable frames (as zstd:chunked layers have)', async () => {
    const tar = await syntheticTar(entries);
    const skippable = Buffer.alloc(8 + 16, 0xaa);
    skippable.writeUInt32LE(0x184d2a50, 0);
    skippable.writeUInt32LE(16, 4);
    const blob = Buffer.concat([
      zstdCompress(tar.subarray(0, 1000)),
      skippable,
      zstdCompress(tar.subarray(1000)),
    ]);
    const scan = await scanLayer(blobStream(blob, 333), { wants: wantsEtcAndDpkg });
    assert.equal(scan.diffId, sha256(tar));
    assert.deepEqual(Object.keys(byPath(scan.files)).sort(), ['etc/os-release', 'var/lib/dpkg/status']);
  });

  it('gives each kept file a buffer of exactly its size', async () => {
    const scan = await scanLayer(blobStream(gzipCompress(await syntheticTar(entries))), {
      wants: wantsEtcAndDpkg,
    });
    const file = scan.files.find((f) => f.path === 'etc/os-release');
    assert.equal(file?.data.length, Buffer.byteLength(osRelease));
    assert.equal(file?.data.buffer.byteLength, Buffer.byteLength(osRelease));
  });
});

describe('scanLayer media types', () => {
  it('trusts the bytes over the media type and says so', async () => {
    const tar = await syntheticTar(entries);
    const scan = await scanLayer(blobStream(tar), {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      wants: wantsEtcAndDpkg,
    });
    assert.equal(scan.files.length, 2);
    assert.deepEqual(scan.warnings, [
      'the media type application/vnd.oci.image.layer.v1.tar+gzip says gzip-compressed but the bytes are an uncompressed tar; read as an uncompressed tar',
    ]);
  });

  it('stays quiet when media type and bytes agree', async () => {
    const blob = zstdCompress(await syntheticTar(entries));
    const scan = await scanLayer(blobStream(blob), {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd',
      wants: () => false,
    });
    assert.deepEqual(scan.warnings, []);
  });
});

describe('scanLayer diffId', () => {
  it('accepts the right expected diffId and fails a wrong one with LAYER_DIFFID_MISMATCH', async () => {
    const tar = await syntheticTar(entries);
    const blob = gzipCompress(tar);
    const ok = await scanLayer(blobStream(blob), { diffId: sha256(tar), wants: () => false });
    assert.equal(ok.diffId, sha256(tar));
    const wrong = `sha256:${'0'.repeat(64)}`;
    await assert.rejects(
      scanLayer(blobStream(blob), { diffId: wrong, wants: () => false }),
      (error: unknown) => {
        assert.ok(isCustomsError(error, 'LAYER_DIFFID_MISMATCH'));
        assert.equal(
          error.message,
          `the uncompressed layer has digest ${sha256(tar)}, the image config says ${wrong}`,
        );
        return true;
      },
    );
  });

  it('checks a sha512 diffId with sha512 and still reports the sha256 diffId', async () => {
    const tar = await syntheticTar(entries);
    const sha512 = `sha512:${createHash('sha512').update(tar).digest('hex')}`;
    const scan = await scanLayer(blobStream(tar), { diffId: sha512, wants: () => false });
    assert.equal(scan.diffId, sha256(tar));
  });
});

describe('scanLayer whiteouts', () => {
  it('records whiteouts and opaque directories, ignores AUFS metadata, and offers none of them as files', async () => {
    const tar = await syntheticTar([
      { name: 'etc/apt/.wh.sources.list', data: '' },
      { name: '.wh.tmp', data: '' },
      { name: 'var/cache/apt/.wh..wh..opq', data: '' },
      { name: '.wh..wh.plnk/', type: 'directory' },
      { name: '.wh..wh.plnk/1234.5678', data: 'hard link store' },
      { name: '.wh..wh.aufs', data: '' },
      { name: 'etc/os-release', data: osRelease },
    ]);
    const asked: string[] = [];
    const scan = await scanLayer(blobStream(gzipCompress(tar)), {
      wants: (path) => {
        asked.push(path);
        return true;
      },
    });
    assert.deepEqual(scan.whiteouts, ['etc/apt/sources.list', 'tmp']);
    assert.deepEqual(scan.opaqueDirs, ['var/cache/apt']);
    assert.deepEqual(asked, ['etc/os-release']);
    assert.deepEqual(Object.keys(byPath(scan.files)), ['etc/os-release']);
    assert.equal(scan.entries, 7);
  });
});

describe('scanLayer links and names', () => {
  it('keeps symlinks as their target and gives a hard link its kept target’s bytes', async () => {
    const tar = await syntheticTar([
      { name: 'usr/lib/os-release', data: osRelease },
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
      { name: 'usr/bin/perl5.36', type: 'link', linkname: 'usr/lib/os-release' },
      { name: 'usr/bin/orphan', type: 'link', linkname: 'usr/lib/not-kept' },
    ]);
    const seen: Array<{ path: string; kind: string; size: number }> = [];
    const scan = await scanLayer(blobStream(tar), {
      wants: (path, info) => {
        seen.push({ path, kind: info.kind, size: info.size });
        return path !== 'usr/lib/not-kept';
      },
    });
    assert.deepEqual(seen, [
      { path: 'usr/lib/os-release', kind: 'file', size: osRelease.length },
      { path: 'etc/os-release', kind: 'symlink', size: 0 },
      { path: 'usr/bin/perl5.36', kind: 'hardlink', size: osRelease.length },
      { path: 'usr/bin/orphan', kind: 'hardlink', size: 0 },
    ]);
    assert.deepEqual(byPath(scan.files), {
      'usr/lib/os-release': osRelease,
      'etc/os-release': '../usr/lib/os-release',
      'usr/bin/perl5.36': osRelease,
    });
    const symlink = scan.files.find((file) => file.path === 'etc/os-release');
    assert.equal(symlink?.data.length, 0);
    const orphan = 'usr/bin/orphan: skipped, a hard link to usr/lib/not-kept, which this layer did not keep';
    assert.deepEqual(scan.warnings, [orphan]);
    assert.deepEqual(scan.unread, [{ path: 'usr/bin/orphan', code: 'FILE_UNREADABLE', reason: orphan }]);
  });

  it('reads PAX long names and long link targets', async () => {
    const longDir = `usr/lib/${'very-long-directory-name/'.repeat(8)}`;
    const longName = `${longDir}${'f'.repeat(120)}.conf`;
    const tar = await syntheticTar([
      { name: longName, data: 'long' },
      { name: 'etc/long-link', type: 'symlink', linkname: `/${longName}` },
    ]);
    // tar-stream writes PAX extended headers (typeflag 'x') for names that ustar cannot hold.
    assert.equal(tar[156], 'x'.charCodeAt(0));
    const scan = await scanLayer(blobStream(gzipCompress(tar)), { wants: () => true });
    assert.deepEqual(byPath(scan.files), { [longName]: 'long', 'etc/long-link': `/${longName}` });
    assert.equal(scan.entries, 2);
  });

  it('keeps the last version of a path written twice in one layer', async () => {
    const tar = await syntheticTar([
      { name: 'etc/os-release', data: 'first' },
      { name: './etc/os-release', data: 'second' },
    ]);
    const scan = await scanLayer(blobStream(tar), { wants: () => true });
    assert.deepEqual(byPath(scan.files), { 'etc/os-release': 'second' });
  });

  it('passes the permission bits to wants', async () => {
    const tar = await syntheticTar([{ name: 'usr/bin/su', data: 'x', mode: 0o4755 }]);
    const modes: number[] = [];
    const scan = await scanLayer(blobStream(tar), {
      wants: (_path, info) => {
        modes.push(info.mode);
        return true;
      },
    });
    assert.deepEqual(modes, [0o4755]);
    assert.equal(scan.files[0]?.mode, 0o4755);
  });
});

describe('scanLayer onFile', () => {
  const files: SyntheticEntry[] = [
    { name: 'a/one', data: '1' },
    { name: 'a/two', data: '22' },
    { name: 'a/three', data: '333' },
  ];

  it('awaits onFile for each file before the walk goes on, and release keeps files empty', async () => {
    const events: string[] = [];
    const options: LayerScanOptions = {
      wants: (path) => {
        events.push(`wants ${path}`);
        return true;
      },
      onFile: async (file): Promise<'release'> => {
        events.push(`onFile ${file.path} ${file.data.toString()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push(`done ${file.path}`);
        return 'release';
      },
    };
    const scan = await scanLayer(blobStream(gzipCompress(await syntheticTar(files))), options);
    assert.deepEqual(scan.files, []);
    assert.deepEqual(events, [
      'wants a/one',
      'onFile a/one 1',
      'done a/one',
      'wants a/two',
      'onFile a/two 22',
      'done a/two',
      'wants a/three',
      'onFile a/three 333',
      'done a/three',
    ]);
  });

  it("keeps what onFile answers 'keep' for", async () => {
    const scan = await scanLayer(blobStream(await syntheticTar(files)), {
      wants: () => true,
      onFile: (file) => (file.path === 'a/two' ? 'keep' : 'release'),
    });
    assert.deepEqual(byPath(scan.files), { 'a/two': '22' });
  });

  it('lets an error thrown by onFile reach the caller unchanged', async () => {
    const failure = new Error('analyzer crashed');
    await assert.rejects(
      scanLayer(blobStream(await syntheticTar(files)), {
        wants: () => true,
        onFile: () => {
          throw failure;
        },
      }),
      (error: unknown) => error === failure,
    );
  });
});
