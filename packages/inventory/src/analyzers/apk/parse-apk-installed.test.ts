import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CollectedFile } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { apk } from './index.js';
import { parseApkInstalled } from './parse-apk-installed.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/apk/', import.meta.url));
const read = (name: string) => readFileSync(fixtures + name, 'utf8');
const keepNone = { path: 'lib/apk/db/installed', keepFile: () => false };

test('alpine 3.18 base image: 15 packages, exact values, origin becomes the source', () => {
  const text = read('scalibr-alpine-3.18/installed');
  const { entries, warnings } = parseApkInstalled(text, keepNone);
  assert.equal(entries.length, text.match(/^P:/gm)?.length);
  assert.equal(entries.length, 15);
  assert.deepEqual(warnings, []);
  const byName = new Map(entries.map(({ pkg }) => [pkg.name, pkg]));
  assert.deepEqual(byName.get('libcrypto3'), {
    type: 'apk',
    name: 'libcrypto3',
    version: '3.1.0-r4',
    source: { name: 'openssl', version: '3.1.0-r4' },
    arch: 'x86_64',
    licenses: ['Apache-2.0'],
    path: 'lib/apk/db/installed',
  });
  assert.deepEqual(byName.get('ca-certificates-bundle'), {
    type: 'apk',
    name: 'ca-certificates-bundle',
    version: '20230506-r0',
    source: { name: 'ca-certificates', version: '20230506-r0' },
    arch: 'x86_64',
    licenses: ['MPL-2.0 AND MIT'],
    path: 'lib/apk/db/installed',
  });
  assert.deepEqual(
    ['busybox-binsh', 'libc-utils', 'scanelf', 'zlib'].map((name) => {
      const pkg = byName.get(name);
      return [pkg?.name, pkg?.version, pkg?.source?.name];
    }),
    [
      ['busybox-binsh', '1.36.0-r9', 'busybox'],
      ['libc-utils', '0.7.2-r5', 'libc-dev'],
      ['scanelf', '1.3.7-r1', 'pax-utils'],
      ['zlib', '1.2.13-r1', 'zlib'],
    ],
  );
});

test('syft samples: single package and base layout', () => {
  const single = parseApkInstalled(read('syft-single/installed'), keepNone);
  assert.deepEqual(single.entries[0]?.pkg, {
    type: 'apk',
    name: 'musl-utils',
    version: '1.1.24-r2',
    source: { name: 'musl', version: '1.1.24-r2' },
    arch: 'x86_64',
    licenses: ['MIT BSD GPL2+'],
    path: 'lib/apk/db/installed',
  });
  assert.equal(single.entries.length, 1);
  const base = parseApkInstalled(read('syft-base/installed'), keepNone);
  assert.deepEqual(
    base.entries.map(({ pkg }) => [pkg.name, pkg.version, pkg.source]),
    [['alpine-baselayout', '3.2.0-r6', { name: 'alpine-baselayout', version: '3.2.0-r6' }]],
  );
});

test('R: files join the last F: directory; only kept paths are stored', () => {
  const { entries } = parseApkInstalled(read('scalibr-alpine-3.18/installed'), {
    path: 'lib/apk/db/installed',
    keepFile: (path) => path.startsWith('etc/ssl/misc/') || path === 'sbin/ldconfig',
  });
  assert.deepEqual(
    entries.filter(({ files }) => files.length > 0).map(({ pkg, files }) => [pkg.name, files]),
    [
      ['libcrypto3', ['etc/ssl/misc/CA.pl', 'etc/ssl/misc/tsget', 'etc/ssl/misc/tsget.pl']],
      ['musl-utils', ['sbin/ldconfig']],
    ],
  );
});

test('analyzer: required(), packages and ownership of language paths only', async () => {
  const info = { size: 1000, mode: 0o644, kind: 'file' } as const;
  assert.equal(apk.required('lib/apk/db/installed', info), true);
  for (const path of [
    'lib/apk/db/triggers',
    'lib/apk/db/installed.new',
    'usr/lib/apk/db/installed',
    'etc/apk/world',
  ]) {
    assert.equal(apk.required(path, info), false, path);
  }
  const installed: CollectedFile = {
    path: 'lib/apk/db/installed',
    data: Buffer.from(read('scalibr-alpine-3.18/installed')),
    mode: 0o644,
  };
  const result = await apk.analyze(new FileSet([installed]), {
    isLanguagePath: (path) => path.startsWith('etc/ssl/misc/'),
  });
  assert.equal(result.packages.length, 15);
  assert.deepEqual(result.ownedFiles, [
    {
      owner: { type: 'apk', name: 'libcrypto3', version: '3.1.0-r4', arch: 'x86_64' },
      paths: ['etc/ssl/misc/CA.pl', 'etc/ssl/misc/tsget', 'etc/ssl/misc/tsget.pl'],
    },
  ]);
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(await apk.analyze(new FileSet([]), { isLanguagePath: () => true }), { packages: [] });
});

test('paragraphs without name or version are reported and skipped (synthetic)', () => {
  const { entries, warnings } = parseApkInstalled('P:a\nV:1-r0\n\nV:2-r0\n\nP:b\nnonsense\n', keepNone);
  assert.deepEqual(
    entries.map(({ pkg }) => pkg.name),
    ['a'],
  );
  assert.deepEqual(warnings, [
    'paragraph at line 4: no P: (package name)',
    'line 7: not a "X:value" line',
    'paragraph at line 6: package b: no V: (version)',
  ]);
});
