import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { dpkgVersion } from './dpkg-version.js';
import { parseStanzas } from './parse-control.js';
import { parseStatus } from './parse-status.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/dpkg/', import.meta.url));
const read = (name: string) => readFileSync(fixtures + name, 'utf8');

interface GoldenEntry {
  package: string;
  version: string;
  architecture: string;
  source_package: string;
  source_version: string;
  status: string;
}

function golden(name: string): GoldenEntry[] {
  const parsed: unknown = JSON.parse(read(`status/${name}/expected.dpkg-query.json`));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('packages' in parsed) ||
    !Array.isArray(parsed.packages)
  ) {
    throw new Error(`${name}: golden has no packages array`);
  }
  return parsed.packages as GoldenEntry[];
}

const GOLDENS = [
  'claircore-debian-only',
  'claircore-postgresql',
  'claircore-texlive',
  'scalibr-statusfield',
  'scalibr-transitional',
  'scalibr-valid',
];

/** The golden entries whose state leaves files on disk: the rule parse-status documents. */
const ON_DISK =
  /^\S+ \S+ (installed|half-configured|triggers-awaited|triggers-pending|unpacked|half-installed)$/;

const row = (name: string, version: string, arch: string, sourceName: string, sourceVersion: string) =>
  [name, version, arch, sourceName, sourceVersion].join(' | ');

for (const name of GOLDENS) {
  test(`dpkg-query golden ${name}: name, version, arch and source match for every on-disk package`, () => {
    const { packages } = parseStatus(read(`status/${name}/status`), {
      path: 'var/lib/dpkg/status',
      missingStatusMeansInstalled: false,
    });
    const expected = golden(name)
      .filter((entry) => ON_DISK.test(entry.status))
      .map((e) => row(e.package, e.version, e.architecture, e.source_package, e.source_version))
      .sort();
    const actual = packages
      .map((p) => row(p.name, p.version, p.arch ?? '', p.source?.name ?? '', p.source?.version ?? ''))
      .sort();
    assert.deepEqual(actual, expected);
    assert.ok(packages.every((p) => p.type === 'deb' && p.path === 'var/lib/dpkg/status'));
  });
}

test('the goldens list exactly one entry whose files are gone: config-files only', () => {
  const excluded = GOLDENS.flatMap((name) =>
    golden(name)
      .filter((entry) => !ON_DISK.test(entry.status))
      .map((entry) => `${name}: ${entry.package} (${entry.status})`),
  );
  assert.deepEqual(excluded, ['scalibr-statusfield: wantdeinstall_configfiles (deinstall ok config-files)']);
});

test('the state decides, not the wanted action: deinstall/purge marks still have files on disk', () => {
  const { packages, warnings } = parseStatus(read('status/scalibr-statusfield/status'), {
    path: 'var/lib/dpkg/status',
    missingStatusMeansInstalled: false,
  });
  assert.deepEqual(
    packages.map((p) => p.name),
    [
      'wantinstall_installed',
      'wantdeinstall_installed',
      'wantinstall_unpacked',
      'wantpurge_installed',
      'wantinstall_halfinstalled',
    ],
  );
  // wantnostatus has no Status: not-installed for dpkg (dpkg-query does not list it either).
  assert.deepEqual(warnings, []);
});

test('versions as dpkg-query prints them: epochs kept, zero epochs dropped, blanks trimmed', () => {
  assert.equal(dpkgVersion('1:2.5.1-4'), '1:2.5.1-4');
  assert.equal(dpkgVersion('0:1.2-3'), '1.2-3');
  assert.equal(dpkgVersion('01:2.0'), '1:2.0');
  assert.equal(dpkgVersion('0:1:2-3'), '0:1:2-3');
  assert.equal(dpkgVersion('  3.6-1 '), '3.6-1');
});

test('binNMU: Source "name (version)" gives the source its own version (scalibr-valid util-linux-extra)', () => {
  const { packages } = parseStatus(read('status/scalibr-valid/status'), {
    path: 'var/lib/dpkg/status',
    missingStatusMeansInstalled: false,
  });
  const extra = packages.find((p) => p.name === 'util-linux-extra');
  assert.deepEqual(extra, {
    type: 'deb',
    name: 'util-linux-extra',
    version: '2.38.1-5+b1',
    source: { name: 'util-linux', version: '2.38.1-5' },
    arch: 'amd64',
    path: 'var/lib/dpkg/status',
  });
});

test('negative case: claircore vcpkg.status (dpkg-query exits 2) is not read as a dpkg database', () => {
  assert.deepEqual(
    parseStatus(read('status/claircore-vcpkg/status'), {
      path: 'var/lib/dpkg/status',
      missingStatusMeansInstalled: false,
    }),
    { packages: [], warnings: ['not a dpkg database: it has vcpkg fields (Type: Port, Abi, Feature)'] },
  );
});

const statusD = (name: string) =>
  parseStatus(read(`status.d/${name}`), {
    path: `var/lib/dpkg/status.d/${name}`,
    missingStatusMeansInstalled: true,
  });

test('distroless status.d entry without a Status field is installed (syft libsqlite3-0)', () => {
  assert.deepEqual(statusD('syft-distroless-deb/status.d/libsqlite3-0'), {
    packages: [
      {
        type: 'deb',
        name: 'libsqlite3-0',
        version: '3.34.1-3',
        source: { name: 'sqlite3', version: '3.34.1-3' },
        arch: 'arm64',
        path: 'var/lib/dpkg/status.d/syft-distroless-deb/status.d/libsqlite3-0',
      },
    ],
    warnings: [],
  });
});

test('status.d: config-files stanza excluded, statusless stanza kept (scalibr foo)', () => {
  const { packages, warnings } = statusD('scalibr-foo/status.d/foo');
  assert.deepEqual(
    packages.map((p) => [p.name, p.version, p.arch, p.source]),
    [['foo', '1.2.3', 'amd64', { name: 'foo', version: '1.2.3' }]],
  );
  assert.deepEqual(warnings, []);
});

test('status.d samples: single, multiple, deinstall, libpam-runtime', () => {
  const summary = (name: string) =>
    statusD(`syft-status.d-samples/${name}`).packages.map((p) =>
      row(p.name, p.version, p.arch ?? '', p.source?.name ?? '', p.source?.version ?? ''),
    );
  assert.deepEqual(summary('single'), [row('apt', '1.8.2', 'amd64', 'apt-dev', '1.8.2')]);
  assert.deepEqual(summary('multiple'), [
    row('tzdata', '2020a-0+deb10u1', 'all', 'tzdata-dev', '2020a-0+deb10u1'),
    row('util-linux', '2.33.1-0.1', 'amd64', 'util-linux', '2.33.1-0.1'),
  ]);
  assert.deepEqual(summary('deinstall'), [
    row(
      'linux-image-6.14.0-1012-aws',
      '6.14.0-1012.12~24.04.1',
      'amd64',
      'linux-signed-aws-6.14',
      '6.14.0-1012.12~24.04.1',
    ),
  ]);
  assert.deepEqual(summary('libpam-runtime'), [
    row('libpam-runtime', '1.5.2-6+deb12u1', 'all', 'pam', '1.5.2-6+deb12u1'),
  ]);
});

test('broken paragraphs become warnings and the rest is kept', () => {
  assert.deepEqual(statusD('syft-status.d-samples/multiple').warnings, [
    'paragraph at line 1: invalid package name ""',
    'paragraph at line 3: package no-version: no Version',
  ]);
  assert.deepEqual(statusD('syft-status.d-samples/corrupt'), {
    packages: [],
    warnings: [
      'line 5: not a "Field: value" line',
      'line 6: continuation line without a field',
      'paragraph at line 1: no Package field',
    ],
  });
});

test('control paragraphs: continuation lines, case-insensitive names, malformed status', () => {
  const { stanzas } = parseStanzas('Package: a\nDESCRIPTION: one\n two\n\tthree\n\n\nPackage: b\n');
  assert.deepEqual(
    stanzas.map((s) => [s.line, Object.fromEntries(s.fields)]),
    [
      [1, { package: 'a', description: 'one\ntwo\nthree' }],
      [7, { package: 'b' }],
    ],
  );
  // Synthetic: a Status that is not three words is reported, not guessed at.
  assert.deepEqual(
    parseStatus('Package: a\nStatus: installed\nVersion: 1\n', {
      path: 'x',
      missingStatusMeansInstalled: false,
    }),
    { packages: [], warnings: ['paragraph at line 1: package a: malformed Status "installed"'] },
  );
});
