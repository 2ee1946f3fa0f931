import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { after, before } from 'node:test';
import { openDatabase, type Database } from '@customs/db';
import type { Package, PackageType } from '@customs/model';
import { createVulnDbReader, importAdvisories, type VulnDbReader } from '@customs/vulndb';
import { matchInventory } from './match-inventory.js';

// Real advisory records (GHSA, PyPA, Debian) from test/fixtures/osv, imported into an in-memory PGlite.
const osv = fileURLToPath(new URL('../../../test/fixtures/osv/', import.meta.url));
const RECORDS = [
  'npm/GHSA-rv95-896h-c2vc.json',
  'npm/GHSA-qw6h-vgh9-j6wx.json',
  'npm/GHSA-hrpp-h998-j3pp.json',
  'pypi/GHSA-j8r2-6x86-q33q.json',
  'pypi/PYSEC-2023-74.yaml',
  'pypi/PYSEC-2023-228.yaml',
  'debian/DLA-3008-1.json',
];

let db: Database;
let reader: VulnDbReader;
let scratch: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'customs-matcher-'));
  for (const record of RECORDS) await cp(join(osv, record), join(scratch, record.replace('/', '-')));
  db = await openDatabase({ dataDir: 'memory://' });
  const report = await importAdvisories(db, scratch);
  assert.equal(report.invalid.length, 0);
  reader = await createVulnDbReader(db);
});

after(async () => {
  await db?.close();
  await rm(scratch, { recursive: true, force: true });
});

function pkg(type: PackageType, name: string, version: string, extra: Partial<Package> = {}): Package {
  return {
    type,
    name,
    version,
    purl: `pkg:${type}/${name}@${version}`,
    source: null,
    ownedBy: null,
    path: `path/of/${name}`,
    layer: 'sha256:layer',
    ...extra,
  };
}

const debian = (versionId: string) => ({ id: 'debian', versionId });

test('express 4.17.1 gets both express advisories, each with its own fixed version, named by CVE', async () => {
  const { findings } = await matchInventory(
    { distro: debian('12'), packages: [pkg('npm', 'express', '4.17.1')] },
    reader,
  );
  assert.deepEqual(
    findings.map((finding) => [finding.id, finding.aliases, finding.fixedVersion]),
    [
      ['CVE-2024-29041', ['GHSA-rv95-896h-c2vc'], '4.19.2'],
      ['CVE-2024-43796', ['GHSA-qw6h-vgh9-j6wx'], '4.20.0'],
    ].sort(),
  );
  const [first] = findings;
  assert.equal(first?.layer, 'sha256:layer');
  assert.equal(first?.path, 'path/of/express');
  assert.deepEqual(first?.advisories, ['osv:GHSA-rv95-896h-c2vc']);
});

test('the fixed version itself is not affected; a version in another branch of the ranges is', async () => {
  const fixed = await matchInventory({ distro: null, packages: [pkg('npm', 'express', '4.20.0')] }, reader);
  assert.deepEqual(fixed.findings, []);
  const qs = await matchInventory(
    {
      distro: null,
      packages: [pkg('npm', 'qs', '6.9.6'), pkg('npm', 'qs', '6.9.7'), pkg('npm', 'qs', '6.11.0')],
    },
    reader,
  );
  assert.deepEqual(
    qs.findings.map((finding) => [finding.package.version, finding.id, finding.fixedVersion]),
    [['6.9.6', 'CVE-2022-24999', '6.9.7']],
  );
});

test('a GHSA and a PYSEC for the same CVE make one finding', async () => {
  const { findings } = await matchInventory(
    { distro: null, packages: [pkg('pypi', 'requests', '2.28.1')] },
    reader,
  );
  assert.deepEqual(
    findings.map((finding) => [finding.id, finding.aliases, finding.fixedVersion]),
    [['CVE-2023-32681', ['GHSA-j8r2-6x86-q33q', 'PYSEC-2023-74'], '2.31.0']],
  );
  assert.deepEqual(findings[0]?.advisories, ['osv:GHSA-j8r2-6x86-q33q', 'osv:PYSEC-2023-74']);
});

test('a language package owned by an OS package is covered by it unless asked for', async () => {
  const owned = pkg('pypi', 'requests', '2.28.1', {
    ownedBy: 'pkg:deb/debian/python3-requests@2.28.1%2Bdfsg-1',
  });
  const venvPip = pkg('pypi', 'pip', '23.0.1');
  const plain = await matchInventory({ distro: debian('12'), packages: [owned, venvPip] }, reader);
  assert.deepEqual(
    plain.findings.map((finding) => [finding.package.name, finding.id]),
    [['pip', 'CVE-2023-5752']],
  );
  assert.deepEqual(plain.covered, [
    {
      package: { type: 'pypi', name: 'requests', version: '2.28.1', purl: owned.purl },
      ownedBy: owned.ownedBy,
    },
  ]);
  const opted = await matchInventory({ distro: debian('12'), packages: [owned, venvPip] }, reader, {
    includeOsOwned: true,
  });
  assert.deepEqual(opted.findings.map((finding) => finding.id).sort(), ['CVE-2023-32681', 'CVE-2023-5752']);
  assert.deepEqual(opted.covered, []);
});

test('a Debian binary package matches through its source package, only in its own release', async () => {
  const libssl = pkg('deb', 'libssl1.1', '1.1.0l-1~deb9u5', {
    source: { name: 'openssl', version: '1.1.0l-1~deb9u5' },
  });
  const stretch = await matchInventory({ distro: debian('9'), packages: [libssl] }, reader);
  assert.deepEqual(
    stretch.findings.map((finding) => [finding.package.name, finding.id, finding.fixedVersion]),
    [['libssl1.1', 'CVE-2022-1292', '1.1.0l-1~deb9u6']],
  );
  const buster = await matchInventory({ distro: debian('10'), packages: [libssl] }, reader);
  assert.deepEqual(buster.findings, []);
  const patched = pkg('deb', 'libssl1.1', '1.1.0l-1~deb9u6', {
    source: { name: 'openssl', version: '1.1.0l-1~deb9u6' },
  });
  assert.deepEqual((await matchInventory({ distro: debian('9'), packages: [patched] }, reader)).findings, []);
});

test('an unparseable installed version is reported, never called safe', async () => {
  const broken = pkg('npm', 'express', 'not-a-version');
  const result = await matchInventory({ distro: null, packages: [broken] }, reader);
  assert.deepEqual(result.findings, []);
  assert.equal(result.unmatched.length, 1);
  assert.equal(result.unmatched[0]?.package.name, 'express');
  assert.match(result.unmatched[0]?.reason ?? '', /not-a-version/);
});

test('a runtime found by its binary is listed as unmatched: OSV has no ecosystem for it', async () => {
  const node = pkg('generic', 'node', '20.20.2');
  const result = await matchInventory({ distro: null, packages: [node] }, reader);
  assert.deepEqual(result.findings, []);
  assert.deepEqual(
    result.unmatched.map((entry) => [entry.package.purl, entry.reason]),
    [
      [
        'pkg:generic/node@20.20.2',
        'no advisory source: OSV has no ecosystem for the node runtime itself, so it is listed but not matched',
      ],
    ],
  );
});

test('OS packages of a distribution without vulnerability data are called out', async () => {
  const fedora = { id: 'fedora', versionId: '39' };
  const result = await matchInventory(
    { distro: fedora, packages: [pkg('rpm', 'bash', '5.2.15-5.fc39')] },
    reader,
  );
  assert.deepEqual(result.warnings, [
    'no vulnerability data source covers fedora 39: its 1 OS packages were not matched',
  ]);
});
