import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { EntryInfo, LayerLimits, LayerScan } from './layer-scan.js';
import { scanLayer } from './scan-layer.js';
import { scanTarInPlace } from './scan-tar-in-place.js';
import { blobStream, gzipCompress, syntheticTar } from './testing/synthetic-tar.js';

// The walk in place must give what the streamed walk gives on the same bytes: both run on each tar
// here and are compared field by field, with every question `wants` was asked, in order.

const work = mkdtempSync(path.join(tmpdir(), 'customs-layers-in-place-'));
after(() => rmSync(work, { recursive: true, force: true }));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/oci', import.meta.url));

/** Bytes before the layer in its file, so that reading at the wrong offset cannot go unnoticed. */
const LEAD = Buffer.alloc(1536, 0x41);

type Wants = (path: string, info: EntryInfo) => boolean;

/** The layer stored at an offset of a file, as it is inside an image archive. */
function storeAtOffset(layer: Buffer): { file: string; start: number; size: number } {
  const file = path.join(work, `archive-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(file, Buffer.concat([LEAD, layer, Buffer.from('trailing bytes of the archive')]));
  return { file, start: LEAD.length, size: layer.length };
}

/** A scan as plain data: each file's bytes by their sha256, and the questions `wants` was asked. */
function comparable(scan: LayerScan | null, asked: string[]): unknown {
  assert.ok(scan, 'the walk in place read the tar');
  const files = scan.files.map((file) => ({
    path: file.path,
    sha256: createHash('sha256').update(file.data).digest('hex'),
    mode: file.mode,
    linkTarget: file.linkTarget,
  }));
  const { diffId: _diffId, ...rest } = scan;
  return { ...rest, files, asked };
}

async function bothWays(layer: Buffer, wants: Wants, limits: Partial<LayerLimits> = {}) {
  const streamedAsked: string[] = [];
  const inPlaceAsked: string[] = [];
  const asking =
    (log: string[]): Wants =>
    (name, info) => {
      log.push(`${name} ${JSON.stringify(info)}`);
      return wants(name, info);
    };
  const streamed = await scanLayer(blobStream(layer), { wants: asking(streamedAsked), limits });
  const inPlace = await scanTarInPlace(storeAtOffset(layer), { wants: asking(inPlaceAsked), limits });
  return {
    streamed: comparable(streamed, streamedAsked),
    inPlace: comparable(inPlace, inPlaceAsked),
    scan: inPlace,
  };
}

const everything: Wants = () => true;
const someFiles: Wants = (name) =>
  name.endsWith('copyright') || name.includes('long-file') || name.endsWith('.txt');

function gnuTar(args: string[]): Buffer {
  return execFileSync('tar', ['-cf', '-', ...args], { maxBuffer: 256 * 1024 * 1024 });
}

/** A tree with what layers hold besides plain files: links, whiteouts, long names, a file bigger than a read window. */
function layerTree(name: string): string {
  const root = path.join(work, name);
  const deep = path.join(
    root,
    'opt',
    'a-directory-name-of-some-length'.repeat(3),
    'and-another-one'.repeat(3),
  );
  mkdirSync(deep, { recursive: true });
  const longFile = path.join(deep, `${'long-file-name-'.repeat(8)}.txt`);
  writeFileSync(longFile, 'the content of a file with a very long name\n');
  linkSync(longFile, path.join(root, 'opt', 'hardlink.txt'));
  symlinkSync(path.relative(path.join(root, 'opt'), longFile), path.join(root, 'opt', 'symlink.txt'));
  writeFileSync(path.join(root, 'opt', 'big.txt'), Buffer.alloc(300 * 1024, 'x'));
  writeFileSync(path.join(root, 'opt', 'empty.txt'), '');
  writeFileSync(path.join(root, 'opt', '.wh.removed'), '');
  mkdirSync(path.join(root, 'var', 'cache'), { recursive: true });
  writeFileSync(path.join(root, 'var', 'cache', '.wh..wh..opq'), '');
  return root;
}

describe('walking an uncompressed layer in place', () => {
  it('gives what the streamed walk gives on a layer of this machine packed by GNU tar', async () => {
    const layer = gnuTar(['-C', '/', 'usr/share/doc/tar', 'usr/share/doc/gzip', 'usr/share/zoneinfo/Europe']);
    for (const wants of [everything, someFiles, () => false]) {
      const { streamed, inPlace } = await bothWays(layer, wants);
      assert.deepEqual(inPlace, streamed);
    }
  });

  for (const format of ['gnu', 'posix', 'v7'] as const) {
    it(`gives what the streamed walk gives on links, whiteouts and long names (GNU tar --format=${format})`, async () => {
      const root = layerTree(`tree-${format}`);
      const members =
        format === 'v7'
          ? ['opt/hardlink.txt', 'opt/big.txt', 'opt/empty.txt', 'opt/.wh.removed']
          : ['opt', 'var'];
      const layer = gnuTar([`--format=${format}`, '-C', root, ...members]);
      const { streamed, inPlace, scan } = await bothWays(layer, someFiles);
      assert.deepEqual(inPlace, streamed);
      if (format !== 'v7') {
        assert.deepEqual(scan?.whiteouts, ['opt/removed']);
        assert.deepEqual(scan?.opaqueDirs, ['var/cache']);
        assert.ok(scan?.files.some((file) => file.path === 'opt/hardlink.txt' && file.data.length > 0));
      }
      assert.equal(scan?.files.find((file) => file.path === 'opt/big.txt')?.data.length, 300 * 1024);
    });
  }

  it('gives what the streamed walk gives on the layer of a docker save archive written by skopeo (real fixture)', async () => {
    const archive = path.join(fixtures, 'skopeo-tiny.docker-archive.tar');
    // `tar -R` says the layer's header is block 0 and its data the 4096 bytes after it.
    const range = { file: archive, start: 512, size: 4096 };
    const layer = execFileSync('tar', [
      '-xOf',
      archive,
      'b473bc5df0c26061ae0c676b67578d20425672cbff9794e277eed9fc81711b2a.tar',
    ]);
    const streamed = await scanLayer(blobStream(layer), { wants: everything });
    const inPlace = await scanTarInPlace(range, { wants: everything });
    assert.deepEqual(comparable(inPlace, []), comparable(streamed, []));
    assert.deepEqual(inPlace?.files.map((file) => file.path).sort(), [
      'etc/debian_version',
      'etc/os-release',
    ]);
  });

  it('says the same about escaping paths, hard links to files it did not keep and files over the size limit', async () => {
    const layer = await syntheticTar([
      { name: '../../etc/passwd', data: 'root:x:0:0\n' },
      { name: 'etc/big', data: Buffer.alloc(4096, 'b') },
      { name: 'etc/link-to-big', type: 'link', linkname: 'etc/big' },
      { name: 'etc/small', data: 'small\n' },
      { name: 'etc/small', type: 'symlink', linkname: 'elsewhere' },
    ]);
    const { streamed, inPlace, scan } = await bothWays(layer, everything, { maxFileBytes: 1024 });
    assert.deepEqual(inPlace, streamed);
    assert.deepEqual(
      scan?.unread.map((unread) => [unread.path, unread.code]),
      [
        ['etc/big', 'FILE_TOO_LARGE'],
        ['etc/link-to-big', 'FILE_UNREADABLE'],
      ],
    );
  });

  it('does not hash the layer: its diffId is null', async () => {
    const scan = await scanTarInPlace(storeAtOffset(await syntheticTar([{ name: 'a', data: 'a' }])), {
      wants: everything,
    });
    assert.equal(scan?.diffId, null);
  });

  it('leaves to the streamed walk, without asking `wants` anything, a compressed blob and a tar it would fail on', async () => {
    const tar = await syntheticTar([
      { name: 'etc/a', data: 'a'.repeat(2000) },
      { name: 'etc/b', data: 'b' },
    ]);
    const badChecksum = Buffer.from(tar);
    badChecksum[512 + 2048 + 10] = 0x7a; // inside the name field of etc/b's header (after a's 2000 bytes)
    const blobs = {
      gzip: gzipCompress(tar),
      'cut inside a file': tar.subarray(0, 1000),
      'cut inside a header': tar.subarray(0, 512 * 5 + 100),
      'bad header checksum': badChecksum,
    };
    for (const [what, blob] of Object.entries(blobs)) {
      let asked = 0;
      const scan = await scanTarInPlace(storeAtOffset(blob), {
        wants: () => {
          asked++;
          return true;
        },
      });
      assert.equal(scan, null, what);
      assert.equal(asked, 0, what);
    }
  });
});
