import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { CollectedFile } from './layer-scan.js';
import { scanDirectory } from './scan-directory.js';

// SYNTHETIC root filesystems, laid out in a temporary directory by each test.

const work = mkdtempSync(path.join(tmpdir(), 'customs-layers-dir-'));
after(() => rmSync(work, { recursive: true, force: true }));

let trees = 0;
function tree(files: Record<string, string>): string {
  const root = path.join(work, `root-${trees++}`);
  mkdirSync(root);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

function byPath(files: CollectedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((file) => [file.path, file.linkTarget ?? file.data.toString('utf8')]));
}

describe('scanDirectory', () => {
  it('walks a root filesystem with root-relative paths, asking wants for files and symlinks', async () => {
    const root = tree({
      'etc/os-release': 'ID=debian\n',
      'var/lib/dpkg/status': 'Package: base-files\n',
      'usr/bin/tool': 'binary',
    });
    symlinkSync('../usr/lib/os-release', path.join(root, 'etc/lsb-release'));
    const offered: string[] = [];
    const scan = await scanDirectory(root, {
      wants: (name, info) => {
        offered.push(`${name} ${info.kind} ${info.size}`);
        return !name.startsWith('usr/');
      },
    });
    assert.deepEqual(offered, [
      'etc/lsb-release symlink 21',
      'etc/os-release file 10',
      'usr/bin/tool file 6',
      'var/lib/dpkg/status file 20',
    ]);
    assert.deepEqual(byPath(scan.files), {
      'etc/lsb-release': '../usr/lib/os-release',
      'etc/os-release': 'ID=debian\n',
      'var/lib/dpkg/status': 'Package: base-files\n',
    });
    assert.equal(scan.diffId, null);
    assert.deepEqual(scan.whiteouts, []);
    assert.deepEqual(scan.opaqueDirs, []);
    assert.equal(scan.entries, 10);
    assert.equal(scan.uncompressedBytes, 36);
    assert.equal(scan.compressedBytes, 0);
    assert.deepEqual(scan.warnings, []);
  });

  it('records a symlink loop without following it, and never enters a linked directory', async () => {
    const root = tree({ 'data/file': 'x' });
    symlinkSync('b', path.join(root, 'a'));
    symlinkSync('a', path.join(root, 'b'));
    symlinkSync('.', path.join(root, 'data/self'));
    symlinkSync('/', path.join(root, 'host-root'));
    const scan = await scanDirectory(root, { wants: () => true });
    assert.deepEqual(byPath(scan.files), {
      a: 'b',
      b: 'a',
      'data/file': 'x',
      'data/self': '.',
      'host-root': '/',
    });
  });

  it('skips proc, sys and dev at the root only, and passes over fifos', async () => {
    const root = tree({
      'proc/1/status': 'Name: init\n',
      'sys/kernel/notes': 'x',
      'dev/null': 'not a device here',
      'usr/lib/dev/keep': 'kept',
    });
    execFileSync('mkfifo', [path.join(root, 'usr/lib/pipe')]);
    const offered: string[] = [];
    const scan = await scanDirectory(root, {
      wants: (name) => {
        offered.push(name);
        return true;
      },
    });
    assert.deepEqual(offered, ['usr/lib/dev/keep']);
    assert.deepEqual(byPath(scan.files), { 'usr/lib/dev/keep': 'kept' });
  });

  it('applies maxFileBytes, onFile release and maxEntries as scanLayer does', async () => {
    const root = tree({ 'a/small': 'x'.repeat(10), 'a/big': 'x'.repeat(101) });
    const handed: string[] = [];
    const scan = await scanDirectory(root, {
      wants: () => true,
      onFile: (file) => {
        handed.push(file.path);
        return 'release';
      },
      limits: { maxFileBytes: 100 },
    });
    assert.deepEqual(handed, ['a/small']);
    assert.deepEqual(scan.files, []);
    const reason =
      'a/big: skipped, 101 bytes is more than the 100-byte limit for one file (limits.maxFileBytes)';
    assert.deepEqual(scan.warnings, [reason]);
    assert.deepEqual(scan.unread, [{ path: 'a/big', code: 'FILE_TOO_LARGE', reason }]);
    await assert.rejects(
      scanDirectory(root, { wants: () => true, limits: { maxEntries: 2 } }),
      (error: unknown) => isCustomsError(error, 'LAYER_TOO_MANY_ENTRIES') && error.context.path === 'a/small',
    );
  });

  it('turns a file that cannot be read into a warning (swapped for a symlink after lstat: O_NOFOLLOW)', async () => {
    const root = tree({ 'etc/shadow': 'secret', 'etc/passwd': 'root:x:0:0\n' });
    const scan = await scanDirectory(root, {
      wants: (name) => {
        if (name === 'etc/shadow') {
          unlinkSync(path.join(root, name));
          symlinkSync('/etc/hostname', path.join(root, name));
        }
        return true;
      },
    });
    assert.deepEqual(byPath(scan.files), { 'etc/passwd': 'root:x:0:0\n' });
    assert.deepEqual(scan.warnings, ['etc/shadow: skipped, cannot read it (ELOOP)']);
  });

  it('turns a directory that cannot be listed into a warning', async () => {
    const root = tree({ 'a/file': 'x', 'b/file': 'y' });
    const scan = await scanDirectory(root, {
      wants: (name) => {
        if (name === 'a/file') rmSync(path.join(root, 'b'), { recursive: true });
        return true;
      },
    });
    assert.deepEqual(byPath(scan.files), { 'a/file': 'x' });
    assert.deepEqual(scan.warnings, ['b: directory skipped, cannot list it (ENOENT)']);
  });

  it('fails with ROOTFS_UNREADABLE for a root that is missing or not a directory', async () => {
    const root = tree({ file: 'x' });
    await assert.rejects(
      scanDirectory(path.join(root, 'missing'), { wants: () => true }),
      (error: unknown) => isCustomsError(error, 'ROOTFS_UNREADABLE') && /ENOENT/.test(error.message),
    );
    await assert.rejects(
      scanDirectory(path.join(root, 'file'), { wants: () => true }),
      (error: unknown) => isCustomsError(error, 'ROOTFS_UNREADABLE') && /not a directory/.test(error.message),
    );
  });

  it('stops with LAYER_SCAN_ABORTED when aborted', async () => {
    const root = tree({ 'a/1': '1', 'a/2': '2', 'a/3': '3' });
    const controller = new AbortController();
    const handed: string[] = [];
    await assert.rejects(
      scanDirectory(root, {
        wants: () => true,
        signal: controller.signal,
        onFile: (file) => {
          handed.push(file.path);
          controller.abort();
          return 'keep';
        },
      }),
      (error: unknown) => isCustomsError(error, 'LAYER_SCAN_ABORTED'),
    );
    assert.deepEqual(handed, ['a/1']);
  });
});
