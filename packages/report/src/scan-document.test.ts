import assert from 'node:assert/strict';
import test from 'node:test';
import type { VulnDbStatus } from '@customs/vulndb';
import { isScanDocument, toScanDocument } from './scan-document.js';
import { goofScan, VULNERABILITY_DATA } from './testing/goof-scan.js';
import { toVulnerabilityData } from './vulnerability-data.js';

const LOCK = 'usr/src/app/package-lock.json';
const GO_MOD = 'go/src/app/go.mod';

test('the scan document is the inventory document plus findings, covered, unmatched and the data state, in that order', async () => {
  const { inventory, document } = await goofScan();
  assert.deepEqual(Object.keys(document), [
    'target',
    'platform',
    'manifestDigest',
    'distro',
    'layers',
    'packages',
    'warnings',
    'incomplete',
    'findings',
    'coveredByOsPackages',
    'unmatched',
    'vulnerabilityData',
  ]);
  const { findings, coveredByOsPackages, unmatched, vulnerabilityData, ...rest } = document;
  assert.deepEqual(rest, inventory);
  assert.equal(inventory.packages.length, 468);
  assert.equal(findings.length, 10);
  assert.equal(coveredByOsPackages.length, 1);
  assert.equal(unmatched.length, 1);
  assert.deepEqual(vulnerabilityData, VULNERABILITY_DATA);
});

test('findings are sorted by severity (most severe first), then package name and version, then id', async () => {
  const { document } = await goofScan();
  assert.deepEqual(
    document.findings.map((f) => [
      f.severity,
      f.package.name,
      f.package.version,
      f.id,
      f.fixedVersion,
      f.path,
    ]),
    [
      ['HIGH', 'body-parser', '1.9.0', 'CVE-2024-45590', '1.20.3', LOCK],
      ['HIGH', 'qs', '1.2.2', 'CVE-2025-15284', '6.14.1', LOCK],
      ['HIGH', 'qs', '2.2.4', 'CVE-2025-15284', '6.14.1', LOCK],
      ['HIGH', 'qs', '2.4.2', 'CVE-2025-15284', '6.14.1', LOCK],
      ['HIGH', 'qs', '6.3.3', 'CVE-2025-15284', '6.14.1', LOCK],
      ['MEDIUM', 'express', '4.12.4', 'CVE-2024-29041', '4.19.2', LOCK],
      ['MEDIUM', 'express', '4.12.4', 'CVE-2024-43796', '4.20.0', LOCK],
      ['LOW', 'cookie', '0.1.2', 'CVE-2024-47764', '0.7.0', LOCK],
      ['UNKNOWN', 'github.com/docker/docker', 'v20.10.11+incompatible', 'CVE-2026-33997', null, GO_MOD],
      [
        'UNKNOWN',
        'golang.org/x/crypto',
        'v0.0.0-20201002170205-7f63de1d35b0',
        'CVE-2024-45337',
        '0.31.0',
        GO_MOD,
      ],
    ],
  );
});

test('a finding keeps every Finding field, CVSS from GHSA-rv95-896h-c2vc, exactly', async () => {
  const { document, inventory } = await goofScan();
  const lockLayer = inventory.layers[1]?.digest;
  assert.deepEqual(
    document.findings.find((f) => f.id === 'CVE-2024-29041'),
    {
      id: 'CVE-2024-29041',
      aliases: ['GHSA-rv95-896h-c2vc'],
      summary: 'Express.js Open Redirect in malformed URLs',
      severity: 'MEDIUM',
      severitySource: 'osv',
      cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', score: 6.1 },
      package: { type: 'npm', name: 'express', version: '4.12.4', purl: 'pkg:npm/express@4.12.4' },
      fixedVersion: '4.19.2',
      layer: lockLayer,
      path: LOCK,
      advisories: ['osv:GHSA-rv95-896h-c2vc'],
    },
  );
  const docker = document.findings.find((f) => f.id === 'CVE-2026-33997');
  assert.deepEqual(docker?.aliases, ['GHSA-pxq6-2prw-chj9', 'GO-2026-4883']);
  assert.equal(docker?.cvss, null);
});

test('covered and unmatched packages are listed with their owner and reason', async () => {
  const { document } = await goofScan();
  assert.deepEqual(document.coveredByOsPackages, [
    {
      package: { type: 'pypi', name: 'six', version: '1.16.0', purl: 'pkg:pypi/six@1.16.0' },
      ownedBy: 'pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12',
    },
  ]);
  assert.deepEqual(document.unmatched, [
    {
      package: {
        type: 'deb',
        name: 'python3-pyrsistent',
        version: '0.18.1-1+b3',
        purl: 'pkg:deb/debian/python3-pyrsistent@0.18.1-1+b3?arch=amd64&distro=debian-12',
      },
      reason: 'synthetic reason',
    },
  ]);
});

test('the filter in the meta is applied, and matcher warnings join the inventory warnings once', async () => {
  const { inventory, findings } = await goofScan();
  const document = toScanDocument(
    { ...inventory, warnings: ['layer 2: a corrupt record'] },
    {
      findings,
      covered: [],
      unmatched: [],
      warnings: ['no vulnerability data source covers debian 12', 'layer 2: a corrupt record'],
    },
    { vulnerabilityData: VULNERABILITY_DATA, filter: { severities: ['HIGH', 'LOW'], ignoreUnfixed: true } },
  );
  assert.deepEqual(
    document.findings.map((f) => `${f.package.name}@${f.package.version}`),
    ['body-parser@1.9.0', 'qs@1.2.2', 'qs@2.2.4', 'qs@2.4.2', 'qs@6.3.3', 'cookie@0.1.2'],
  );
  assert.deepEqual(document.warnings, [
    'layer 2: a corrupt record',
    'no vulnerability data source covers debian 12',
  ]);
});

test('the document copies its inputs: changing a finding afterwards does not change the document', async () => {
  const { inventory, findings } = await goofScan();
  const document = toScanDocument(
    inventory,
    { findings, covered: [], unmatched: [] },
    { vulnerabilityData: VULNERABILITY_DATA },
  );
  const original = findings.find((f) => f.id === 'CVE-2024-45590');
  original?.aliases.push('EXTRA');
  assert.deepEqual(document.findings[0]?.aliases, ['GHSA-qwcr-r2fm-qrc7']);
});

test('isScanDocument tells a scan document from an inventory document', async () => {
  const { inventory, document } = await goofScan();
  assert.equal(isScanDocument(document), true);
  assert.equal(isScanDocument(inventory), false);
});

test('the database status becomes vulnerabilityData with ISO times, null where nothing was imported', () => {
  // Synthetic status, shaped as VulnDbReader.status() returns it.
  const status: VulnDbStatus = {
    advisories: 12,
    lastImport: { finishedAt: new Date('2025-03-04T05:06:07Z'), source: '/data/osv/all.zip' },
    ecosystems: [
      {
        ecosystem: 'Debian',
        advisories: 10,
        affectedEntries: 40,
        lastImport: { finishedAt: new Date('2025-03-04T05:06:07Z'), source: '/data/osv/all.zip' },
      },
      { ecosystem: 'npm', advisories: 2, affectedEntries: 2, lastImport: null },
    ],
  };
  assert.deepEqual(toVulnerabilityData(status), {
    lastImport: '2025-03-04T05:06:07.000Z',
    advisories: 12,
    sources: [
      {
        ecosystem: 'Debian',
        advisories: 10,
        lastImport: '2025-03-04T05:06:07.000Z',
        source: '/data/osv/all.zip',
      },
      { ecosystem: 'npm', advisories: 2, lastImport: null, source: null },
    ],
  });
  assert.deepEqual(toVulnerabilityData({ advisories: 0, lastImport: null, ecosystems: [] }), {
    lastImport: null,
    advisories: 0,
    sources: [],
  });
});
