import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import test, { after, before } from 'node:test';
import { openDatabase, type Database } from '@customs/db';
import { defaultAnalyzers, FileSet, toPurl, type Package } from '@customs/inventory';
import { createVulnDbReader, importAdvisories, type VulnDbReader } from '@customs/vulndb';
import { matchInventory } from './match-inventory.js';

// Real data end to end (test/fixtures/SOURCES.md, "packagist/"): Trivy's vendor/composer/installed.json
// (guzzlehttp/psr7 1.8.3) and composer.lock (guzzlehttp/guzzle 7.4.4), read by the composer analyzer;
// two GitHub-reviewed advisories with two affected ranges each, imported into an in-memory PGlite.
const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
const IMAGE_FILES: ReadonlyArray<readonly [string, string]> = [
  [
    'srv/api/vendor/composer/installed.json',
    'packagist/trivy-composer-vendor/vendor/composer/installed.json',
  ],
  ['srv/web/composer.lock', 'php/trivy-composer/composer.lock'],
];

let db: Database;
let reader: VulnDbReader;

before(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  const report = await importAdvisories(db, `${fixtures}packagist/osv`);
  assert.deepEqual(
    report.ecosystems.map((entry) => [entry.ecosystem, entry.imported]),
    [['Packagist', 2]],
  );
  reader = await createVulnDbReader(db);
});

after(async () => {
  await db?.close();
});

/** What a scan of a layer holding those two files inventories: the composer analyzer's packages. */
async function composerPackages(): Promise<Package[]> {
  const analyzer = defaultAnalyzers.find((candidate) => candidate.id === 'composer');
  assert.ok(analyzer);
  const files = [];
  for (const [path, fixture] of IMAGE_FILES) {
    const data = await readFile(fixtures + fixture);
    if (analyzer.required(path, { size: data.length, mode: 0o644, kind: 'file' }))
      files.push({ path, data, mode: 0o644 });
  }
  const result = await analyzer.analyze(new FileSet(files), { isLanguagePath: () => true });
  assert.deepEqual(result.warnings ?? [], []);
  return result.packages.map((found) => ({
    ...found,
    purl: toPurl(found, null),
    source: null,
    ownedBy: null,
    layer: 'sha256:layer',
  }));
}

test('Composer packages from installed.json and composer.lock match Packagist advisories; the fixed version does not', async () => {
  const packages = await composerPackages();
  assert.ok(packages.some((pkg) => pkg.name === 'guzzlehttp/guzzle' && pkg.version === '7.4.4'));
  const result = await matchInventory({ distro: null, packages }, reader);
  // Before Packagist had a version scheme every one of these packages landed here.
  assert.deepEqual(result.unmatched, []);
  assert.deepEqual(
    result.findings.map((finding) => [
      finding.path,
      finding.package.name,
      finding.package.version,
      finding.id,
      finding.aliases,
      finding.fixedVersion,
    ]),
    [
      [
        'srv/api/vendor/composer/installed.json',
        'guzzlehttp/psr7',
        '1.8.3',
        'CVE-2022-24775',
        ['GHSA-q7rv-6hp3-vh96'],
        '1.8.4',
      ],
      [
        'srv/web/composer.lock',
        'guzzlehttp/psr7',
        '1.8.3',
        'CVE-2022-24775',
        ['GHSA-q7rv-6hp3-vh96'],
        '1.8.4',
      ],
    ],
  );
  // guzzlehttp/guzzle 7.4.4 is GHSA-f2wf-25xc-69c9's `fixed` version: not affected.
  assert.equal(
    result.findings.some((finding) => finding.package.name === 'guzzlehttp/guzzle'),
    false,
  );
});

test('each of the two affected ranges matches on its own; v-prefixed and shortened versions are the same version; a branch is unmatched', async () => {
  const versions = ['1.8.3', 'v1.8.4', '2.0.0', '2.1', 'v2.1.1', '2.1.0-RC1', '1.x-dev', 'dev-master'];
  const packages: Package[] = versions.map((version) => ({
    type: 'composer',
    name: 'guzzlehttp/psr7',
    version,
    purl: `pkg:composer/guzzlehttp/psr7@${version}`,
    source: null,
    ownedBy: null,
    path: 'vendor/composer/installed.json',
    layer: 'sha256:layer',
  }));
  const result = await matchInventory({ distro: null, packages }, reader);
  // A named branch has no place among versions: reported, never called safe (and never a crash).
  assert.deepEqual(
    result.unmatched.map((entry) => [entry.package.version, /branch "dev-master"/.test(entry.reason)]),
    [['dev-master', true]],
  );
  assert.deepEqual(
    result.findings.map((finding) => [finding.package.version, finding.fixedVersion]),
    [
      ['1.8.3', '1.8.4'],
      ['2.0.0', '2.1.1'],
      ['2.1', '2.1.1'],
      ['2.1.0-RC1', '2.1.1'],
    ],
  );
});
