import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CollectedFile } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { dpkg } from './index.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/dpkg/', import.meta.url));
const file = (path: string, fixture: string): CollectedFile => ({
  path,
  data: readFileSync(fixtures + fixture),
  mode: 0o644,
});
const inDistPackages = { isLanguagePath: (path: string) => path.includes('/dist-packages/') };

test('required() selects the status file, status.d entries and info/*.list (syft-style path list)', () => {
  const info = { size: 1000, mode: 0o644, kind: 'file' } as const;
  const selected = [
    'var/lib/dpkg/status',
    'var/lib/dpkg/status.d/libc6',
    'var/lib/dpkg/status.d/libc6.md5sums',
    'var/lib/dpkg/info/adduser.list',
    'var/lib/dpkg/info/libc6:amd64.list',
  ];
  const rejected = [
    'var/lib/dpkg/status-old',
    'var/lib/dpkg/status.d/',
    'var/lib/dpkg/status.d/nested/libc6',
    'var/lib/dpkg/info/adduser.md5sums',
    'var/lib/dpkg/info/adduser.postinst',
    'var/lib/dpkg/info/sub/adduser.list',
    'var/lib/dpkg/available',
    'usr/var/lib/dpkg/status',
    'vcpkg/installed/vcpkg/status',
    '/var/lib/dpkg/status',
  ];
  for (const path of selected) assert.equal(dpkg.required(path, info), true, path);
  for (const path of rejected) assert.equal(dpkg.required(path, info), false, path);
});

test('status + info lists: packages, and ownership of the language paths only (Debian 12)', async () => {
  const result = await dpkg.analyze(
    new FileSet([
      file('var/lib/dpkg/status', 'debian-12-python/status'),
      file('var/lib/dpkg/info/python3-six.list', 'debian-12-python/info/python3-six.list'),
      file(
        'var/lib/dpkg/info/python3-pyrsistent:amd64.list',
        'debian-12-python/info/python3-pyrsistent:amd64.list',
      ),
    ]),
    inDistPackages,
  );
  assert.deepEqual(result.packages, [
    {
      type: 'deb',
      name: 'python3-pyrsistent',
      version: '0.18.1-1+b3',
      source: { name: 'pyrsistent', version: '0.18.1-1' },
      arch: 'amd64',
      path: 'var/lib/dpkg/status',
    },
    {
      type: 'deb',
      name: 'python3-six',
      version: '1.16.0-4',
      source: { name: 'six', version: '1.16.0-4' },
      arch: 'all',
      path: 'var/lib/dpkg/status',
    },
  ]);
  const pyrsistentPaths = result.ownedFiles?.[0]?.paths ?? [];
  assert.deepEqual(result.ownedFiles?.[0]?.owner, {
    type: 'deb',
    name: 'python3-pyrsistent',
    version: '0.18.1-1+b3',
    arch: 'amd64',
  });
  assert.equal(pyrsistentPaths.length, 26);
  assert.ok(pyrsistentPaths.includes('usr/lib/python3/dist-packages/pyrsistent-0.18.1.egg-info/PKG-INFO'));
  assert.ok(pyrsistentPaths.every((path) => path.startsWith('usr/lib/python3/dist-packages/')));
  assert.deepEqual(result.ownedFiles?.[1], {
    owner: { type: 'deb', name: 'python3-six', version: '1.16.0-4', arch: 'all' },
    paths: [
      'usr/lib/python3/dist-packages/six-1.16.0.egg-info',
      'usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO',
      'usr/lib/python3/dist-packages/six-1.16.0.egg-info/dependency_links.txt',
      'usr/lib/python3/dist-packages/six-1.16.0.egg-info/top_level.txt',
      'usr/lib/python3/dist-packages/six.py',
    ],
  });
  assert.equal(result.ownedFiles?.length, 2);
  assert.deepEqual(result.warnings, []);
});

test('a file list whose package is not in this layer status is reported, not attributed', async () => {
  const result = await dpkg.analyze(
    new FileSet([file('var/lib/dpkg/info/python3-six.list', 'debian-12-python/info/python3-six.list')]),
    inDistPackages,
  );
  assert.deepEqual(result, {
    packages: [],
    ownedFiles: [],
    warnings: [
      "var/lib/dpkg/info/python3-six.list: no installed package in this layer's status owns this file list",
    ],
  });
});

test('distroless: status.d entries plus their md5sums give packages and ownership', async () => {
  const result = await dpkg.analyze(
    new FileSet([
      file('var/lib/dpkg/status.d/libsqlite3-0', 'status.d/syft-distroless-deb/status.d/libsqlite3-0'),
      file(
        'var/lib/dpkg/status.d/libsqlite3-0.md5sums',
        'status.d/syft-distroless-deb/status.d/libsqlite3-0.md5sums',
      ),
      file('var/lib/dpkg/status.d/foo', 'status.d/scalibr-foo/status.d/foo'),
      file('var/lib/dpkg/status.d/foo.md5sums', 'status.d/scalibr-foo/status.d/foo.md5sums'),
    ]),
    { isLanguagePath: (path) => path.startsWith('usr/lib/') },
  );
  assert.deepEqual(
    result.packages.map((p) => [p.name, p.version, p.path]),
    [
      ['foo', '1.2.3', 'var/lib/dpkg/status.d/foo'],
      ['libsqlite3-0', '3.34.1-3', 'var/lib/dpkg/status.d/libsqlite3-0'],
    ],
  );
  assert.deepEqual(result.ownedFiles, [
    { owner: { type: 'deb', name: 'foo', version: '1.2.3', arch: 'amd64' }, paths: ['usr/lib/os-release'] },
    {
      owner: { type: 'deb', name: 'libsqlite3-0', version: '3.34.1-3', arch: 'arm64' },
      paths: ['usr/lib/aarch64-linux-gnu/libsqlite3.so.0.8.6'],
    },
  ]);
  assert.deepEqual(result.warnings, []);
});
