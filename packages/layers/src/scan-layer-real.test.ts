import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  linkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { LayerScan } from './layer-scan.js';
import { scanLayer } from './scan-layer.js';
import { blobStream } from './testing/synthetic-tar.js';

// Real layers: files of this Debian machine (package docs, tzdata's Europe zone files with their symlinks)
// packed by GNU tar and gzip while the test runs, then read back and checked against `tar -tzf`.

const work = mkdtempSync(path.join(tmpdir(), 'customs-layers-real-'));
after(() => rmSync(work, { recursive: true, force: true }));

function gnuTar(args: string[]): Buffer {
  const file = path.join(work, `layer-${Math.random().toString(36).slice(2)}.tar.gz`);
  execFileSync('tar', ['-czf', file, ...args]);
  return readFileSync(file);
}

/** What `tar -tzf` lists, read independently of the code under test. */
function listing(layer: Buffer): string[] {
  return execFileSync('tar', ['-tzf', '-', '--quoting-style=literal'], { input: layer, encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '');
}

/** Every non-directory name of the listing as an image-root-relative path (`./a`, `/a`, `a` → `a`). */
function listedFiles(names: string[]): string[] {
  return names
    .filter((name) => !name.endsWith('/'))
    .map((name) => name.replace(/^\.?\/+/, ''))
    .sort();
}

async function scanAll(layer: Buffer): Promise<{ scan: LayerScan; offered: string[] }> {
  const offered: string[] = [];
  const scan = await scanLayer(blobStream(layer), {
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    wants: (name) => {
      offered.push(name);
      return true;
    },
  });
  return { scan, offered: offered.sort() };
}

/** Each kept file holds what is on disk at `root/<path>`: the bytes, or the link target. */
function assertMatchesDisk(scan: LayerScan, root: string): void {
  for (const file of scan.files) {
    const onDisk = path.join(root, file.path);
    if (file.linkTarget !== undefined) assert.equal(file.linkTarget, readlinkSync(onDisk), file.path);
    else assert.ok(file.data.equals(readFileSync(onDisk)), file.path);
  }
}

describe('real layers packed by GNU tar', () => {
  it('offers every name tar -tzf lists, normalised, for relative member names', async () => {
    const layer = gnuTar(['-C', '/', 'usr/share/doc/tar', 'usr/share/doc/gzip', 'usr/share/zoneinfo/Europe']);
    const names = listing(layer);
    const { scan, offered } = await scanAll(layer);
    assert.deepEqual(offered, listedFiles(names));
    assert.equal(scan.entries, names.length);
    assert.ok(scan.files.some((file) => file.path === 'usr/share/doc/tar/copyright'));
    assert.ok(
      scan.files.some((file) => file.linkTarget !== undefined),
      'tzdata has symlinks among its zones',
    );
    assertMatchesDisk(scan, '/');
    assert.deepEqual(scan.warnings, []);
  });

  it('strips ./ from the names of a layer packed from inside its root', async () => {
    const layer = gnuTar(['-C', '/usr/share/doc/tar', '.']);
    const names = listing(layer);
    assert.ok(names.every((name) => name.startsWith('./')));
    const { scan, offered } = await scanAll(layer);
    assert.deepEqual(offered, listedFiles(names));
    assert.ok(offered.includes('copyright'));
    assertMatchesDisk(scan, '/usr/share/doc/tar');
  });

  it('strips the leading / of absolute member names (tar -P)', async () => {
    const layer = gnuTar(['-P', '/usr/share/doc/gzip']);
    const names = listing(layer);
    assert.ok(names.every((name) => name.startsWith('/')));
    const { scan, offered } = await scanAll(layer);
    assert.deepEqual(offered, listedFiles(names));
    assert.ok(offered.includes('usr/share/doc/gzip/copyright'));
    assertMatchesDisk(scan, '/');
  });

  for (const format of ['gnu', 'posix'] as const) {
    it(`reads ${format === 'gnu' ? 'GNU long names' : 'PAX long names'}, hard links and symlinks written by GNU tar --format=${format}`, async () => {
      const root = path.join(work, `tree-${format}`);
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
      const layer = gnuTar([`--format=${format}`, '-C', root, 'opt']);
      const names = listing(layer);
      assert.ok(
        names.some((name) => name.length > 100),
        'the tree needs names longer than ustar holds',
      );
      const verbose = execFileSync('tar', ['-tvzf', '-'], { input: layer, encoding: 'utf8' });
      assert.equal(
        verbose.split('\n').filter((line) => line.startsWith('h')).length,
        1,
        'one hard link entry',
      );
      const { scan, offered } = await scanAll(layer);
      assert.deepEqual(offered, listedFiles(names));
      const longPath = path.relative(root, longFile);
      const byPath = new Map(scan.files.map((file) => [file.path, file]));
      assert.equal(byPath.get(longPath)?.data.toString(), 'the content of a file with a very long name\n');
      assert.equal(
        byPath.get('opt/hardlink.txt')?.data.toString(),
        'the content of a file with a very long name\n',
      );
      assert.equal(
        byPath.get('opt/symlink.txt')?.linkTarget,
        readlinkSync(path.join(root, 'opt', 'symlink.txt')),
      );
      assert.deepEqual(scan.warnings, []);
    });
  }
});

describe('a real layer written by umoci insert 0.4.7 (Debian 12)', () => {
  const version = execFileSync('umoci', ['--version'], { encoding: 'utf8' });
  const skip = version.startsWith('umoci version 0.4.7')
    ? false
    : `needs umoci 0.4.7, found: ${version.trim()}`;

  it(
    'is reported as LAYER_TRUNCATED: its last file has no padding and the tar no end blocks',
    { skip },
    async () => {
      const dir = path.join(work, 'umoci');
      mkdirSync(path.join(dir, 'src', 'etc'), { recursive: true });
      writeFileSync(path.join(dir, 'src', 'etc', 'os-release'), 'ID=debian\nVERSION_ID=12\n');
      const layout = path.join(dir, 'img');
      execFileSync('umoci', ['init', '--layout', layout]);
      execFileSync('umoci', ['new', '--image', `${layout}:latest`]);
      execFileSync('umoci', ['insert', '--image', `${layout}:latest`, path.join(dir, 'src', 'etc'), '/etc']);
      const blob = (digest: string): string => path.join(layout, 'blobs', ...digest.split(':'));
      const index: { manifests: Array<{ digest: string }> } = JSON.parse(
        readFileSync(path.join(layout, 'index.json'), 'utf8'),
      );
      const manifest: { layers: Array<{ digest: string; mediaType: string }> } = JSON.parse(
        readFileSync(blob(index.manifests[0]?.digest ?? ''), 'utf8'),
      );
      const layer = manifest.layers[0];
      assert.ok(layer, 'umoci wrote a layer');
      await assert.rejects(
        scanLayer(createReadStream(blob(layer.digest)), { mediaType: layer.mediaType, wants: () => true }),
        (error: unknown) => {
          assert.ok(isCustomsError(error, 'LAYER_TRUNCATED'), String(error));
          assert.equal(
            error.message,
            'the tar stops in the padding after etc/os-release: its 24 bytes of data are there, but 488 bytes of padding and the end-of-archive blocks are missing',
          );
          assert.deepEqual(error.context, { path: 'etc/os-release' });
          return true;
        },
      );
    },
  );
});
