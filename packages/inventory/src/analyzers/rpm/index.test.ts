import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CollectedFile } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import type { AnalyzerResult } from '../../analyzer.js';
import { rpm } from './index.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/rpm/', import.meta.url));
const read = (name: string) => readFileSync(fixtures + name);
const file = (path: string, fixture: string): CollectedFile => ({ path, data: read(fixture), mode: 0o644 });
const link = (path: string, linkTarget: string): CollectedFile => ({
  path,
  data: Buffer.alloc(0),
  mode: 0o777,
  linkTarget,
});
const noLanguage = { isLanguagePath: () => false };

/** One `rpm -qa --queryformat` row, ¶-separated: EPOCH¶NAME¶VERSION¶RELEASE¶ARCH¶SOURCERPM¶... */
function goldenRows(csv: string): string[] {
  return readFileSync(fixtures + csv, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [epoch = '', name = '', version = '', release = '', arch = '', sourceRpm = ''] = line.split('¶');
      const epochPrefix = epoch === '' || epoch === '(none)' ? '' : `${epoch}:`;
      // SOURCERPM is name-version-release.src.rpm; the source takes the binary's epoch (see rpm-package.ts).
      const srpm = /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(sourceRpm);
      assert.ok(srpm, `golden SOURCERPM ${sourceRpm}`);
      return [name, `${epochPrefix}${version}-${release}`, arch, srpm[1], `${epochPrefix}${srpm[2]}`].join(
        ' ',
      );
    });
}

function rows(result: AnalyzerResult): string[] {
  return result.packages.map((p) =>
    [p.name, p.version, p.arch ?? '', p.source?.name ?? '', p.source?.version ?? ''].join(' '),
  );
}

const GOLDENS = [
  {
    format: 'SQLite (CBL-Mariner 2.0)',
    path: 'var/lib/rpm/rpmdb.sqlite',
    db: 'go-rpmdb-cbl-mariner-2.0-sqlite/rpmdb.sqlite',
    csv: 'go-rpmdb-cbl-mariner-2.0-sqlite/packages.rpm418-generated.csv',
    count: 129,
  },
  {
    format: 'NDB (SLE 15 BCI)',
    path: 'usr/lib/sysimage/rpm/Packages.db',
    db: 'go-rpmdb-sle15-bci-ndb/Packages.db',
    csv: 'go-rpmdb-sle15-bci-ndb/packages.csv',
    count: 36,
  },
  {
    format: 'Berkeley DB (UBI 8 libuuid)',
    path: 'var/lib/rpm/Packages',
    db: 'go-rpmdb-libuuid-bdb/Packages',
    csv: 'go-rpmdb-libuuid-bdb/packages.rpm418-generated.csv',
    count: 1,
  },
  {
    format: 'Berkeley DB, little-endian (CBL-Mariner headers loaded with db_load)',
    path: 'var/lib/rpm/Packages',
    db: 'generated-bdb-from-cbl-mariner/little-endian/Packages',
    csv: 'generated-bdb-from-cbl-mariner/little-endian/packages.rpm418-generated.csv',
    count: 129,
  },
  {
    format: 'Berkeley DB, big-endian (CBL-Mariner headers loaded with db_load)',
    path: 'var/lib/rpm/Packages',
    db: 'generated-bdb-from-cbl-mariner/big-endian/Packages',
    csv: 'generated-bdb-from-cbl-mariner/big-endian/packages.rpm418-generated.csv',
    count: 129,
  },
];

for (const golden of GOLDENS) {
  test(`${golden.format}: every rpm -qa row matches (name, [epoch:]version-release, arch, source), in rpm's order`, async () => {
    const result = await rpm.analyze(new FileSet([file(golden.path, golden.db)]), noLanguage);
    const expected = goldenRows(golden.csv);
    assert.equal(expected.length, golden.count);
    assert.deepEqual(rows(result), expected);
    assert.deepEqual(result.warnings, []);
    assert.ok(result.packages.every((p) => p.type === 'rpm' && p.path === golden.path));
  });
}

test('epoch: in the version, and carried to the source (SOURCERPM has none)', async () => {
  const result = await rpm.analyze(
    new FileSet([file('var/lib/rpm/rpmdb.sqlite', 'go-rpmdb-cbl-mariner-2.0-sqlite/rpmdb.sqlite')]),
    noLanguage,
  );
  assert.deepEqual(
    result.packages.find((p) => p.name === 'ca-certificates-tools'),
    {
      type: 'rpm',
      name: 'ca-certificates-tools',
      version: '1:2.0.0-1.cm2',
      source: { name: 'ca-certificates', version: '1:2.0.0-1.cm2' },
      arch: 'noarch',
      licenses: ['MPLv2.0'],
      path: 'var/lib/rpm/rpmdb.sqlite',
    },
  );
});

test('ownership: file lists reduced to language paths', async () => {
  const result = await rpm.analyze(
    new FileSet([file('var/lib/rpm/rpmdb.sqlite', 'go-rpmdb-cbl-mariner-2.0-sqlite/rpmdb.sqlite')]),
    { isLanguagePath: (path) => path.startsWith('usr/bin/curl') },
  );
  assert.deepEqual(result.ownedFiles, [
    {
      owner: { type: 'rpm', name: 'curl', version: '7.76.0-6.cm2', arch: 'x86_64' },
      paths: ['usr/bin/curl', 'usr/bin/curl-config'],
    },
  ]);
});

test('required() selects the three formats in both directories (syft-style path list)', () => {
  const info = { size: 1 << 20, mode: 0o644, kind: 'file' } as const;
  const selected = [
    'var/lib/rpm/Packages',
    'var/lib/rpm/Packages.db',
    'var/lib/rpm/rpmdb.sqlite',
    'var/lib/rpm/rpmdb.sqlite-wal',
    'usr/lib/sysimage/rpm/Packages',
    'usr/lib/sysimage/rpm/Packages.db',
    'usr/lib/sysimage/rpm/rpmdb.sqlite',
    'usr/lib/sysimage/rpm/rpmdb.sqlite-wal',
  ];
  const rejected = [
    'var/lib/rpm/Name',
    'var/lib/rpm/Providename',
    'var/lib/rpm/Index.db',
    'var/lib/rpm/rpmdb.sqlite-shm',
    'var/lib/rpm/.rpm.lock',
    'var/lib/rpm/__db.001',
    'var/lib/rpm/sub/Packages',
    'root/var/lib/rpm/Packages',
    'var/lib/rpm',
    '/var/lib/rpm/Packages',
  ];
  for (const path of selected) assert.equal(rpm.required(path, info), true, path);
  for (const path of rejected) assert.equal(rpm.required(path, info), false, path);
  assert.equal(rpm.maxFileSize, 256 * 1024 * 1024);
});

test('one database per layer: the newest format wins, a link to the same file is not a second one', async () => {
  const result = await rpm.analyze(
    new FileSet([
      file('usr/lib/sysimage/rpm/rpmdb.sqlite', 'go-rpmdb-cbl-mariner-2.0-sqlite/rpmdb.sqlite'),
      link('var/lib/rpm/rpmdb.sqlite', '../../../usr/lib/sysimage/rpm/rpmdb.sqlite'),
      file('var/lib/rpm/Packages', 'go-rpmdb-libuuid-bdb/Packages'),
    ]),
    noLanguage,
  );
  assert.equal(result.packages.length, 129);
  assert.deepEqual(result.warnings, [
    "var/lib/rpm/Packages: not read; usr/lib/sysimage/rpm/rpmdb.sqlite is this layer's rpm database",
  ]);
});

test('a file that is not the database its name says becomes a warning, not a crash', async () => {
  const cases: [string, string][] = [
    ['var/lib/rpm/rpmdb.sqlite', 'go-rpmdb-libuuid-bdb/Packages'],
    ['var/lib/rpm/Packages.db', 'go-rpmdb-libuuid-bdb/Packages'],
    ['var/lib/rpm/Packages', 'go-rpmdb-sle15-bci-ndb/Packages.db'],
  ];
  for (const [path, fixture] of cases) {
    const result = await rpm.analyze(new FileSet([file(path, fixture)]), noLanguage);
    assert.equal(result.packages.length, 0, path);
    assert.equal(result.warnings?.length, 1, path);
    assert.match(result.warnings?.[0] ?? '', new RegExp(`^${path.replace(/\./g, '\\.')}: `));
  }
});

test('a truncated NDB database keeps the packages it still holds (synthetic truncation of real data)', async () => {
  const whole = read('go-rpmdb-sle15-bci-ndb/Packages.db');
  const truncated: CollectedFile = {
    path: 'usr/lib/sysimage/rpm/Packages.db',
    data: whole.subarray(0, Math.floor(whole.byteLength * 0.6)),
    mode: 0o644,
  };
  const result = await rpm.analyze(new FileSet([truncated]), noLanguage);
  assert.ok(result.packages.length > 0 && result.packages.length < 36, `${result.packages.length} packages`);
  assert.equal(result.packages.length + (result.warnings?.length ?? 0), 36);
  assert.ok(result.warnings?.every((warning) => warning.includes('does not fit the file')));
});

test('a leftover SQLite write-ahead log is reported', async () => {
  const result = await rpm.analyze(
    new FileSet([
      file('var/lib/rpm/rpmdb.sqlite', 'go-rpmdb-cbl-mariner-2.0-sqlite/rpmdb.sqlite'),
      { path: 'var/lib/rpm/rpmdb.sqlite-wal', data: Buffer.from('not empty'), mode: 0o644 },
    ]),
    noLanguage,
  );
  assert.deepEqual(result.warnings, [
    'var/lib/rpm/rpmdb.sqlite-wal: not empty; packages changed after the last checkpoint may be missing',
  ]);
});

test('a truncated Berkeley DB keeps the packages it still holds (synthetic truncation of generated data)', async () => {
  const whole = read('generated-bdb-from-cbl-mariner/little-endian/Packages');
  const truncated: CollectedFile = {
    path: 'var/lib/rpm/Packages',
    data: whole.subarray(0, 1024 * 1024),
    mode: 0o644,
  };
  const result = await rpm.analyze(new FileSet([truncated]), noLanguage);
  assert.ok(result.packages.length > 0 && result.packages.length < 129, `${result.packages.length} packages`);
  const broken = result.warnings?.filter((warning) => warning.includes('broken overflow chain')) ?? [];
  assert.equal(result.packages.length + broken.length, 129);
  assert.equal(
    result.warnings?.at(-1),
    'var/lib/rpm/Packages: page 256 lies past the end of the file (truncated database)',
  );
});
