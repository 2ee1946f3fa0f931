// `customs scan` end to end: the real app image pushed to a real registry (htpasswd auth), the real OSV
// records from test/fixtures/osv imported with `customs db import`, and the findings compared with what
// those records predict (read independently by test/support/osv-oracle.ts).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import {
  compareVersions,
  expectedAdvisories,
  loadRecords,
  OSV_FIXTURES,
  type ExpectedAdvisory,
  type OracleEcosystem,
} from '../support/osv-oracle.js';
import { pushImage } from '../support/skopeo.js';
import { useRegistry } from '../support/use-registry.js';

const e2e = e2eEnvironment();

interface Finding {
  id: string;
  aliases: string[];
  fixedVersion: string | null;
  package: { type: string; name: string; version: string };
}
interface ScanDocument {
  packages: Array<{ type: string; name: string; version: string; ownedBy: string | null }>;
  findings: Finding[];
  coveredByOsPackages: Array<{ package: { name: string }; ownedBy: string }>;
}

const ECOSYSTEM = { npm: 'npm', pypi: 'PyPI', golang: 'Go' } as const;
const RECORDS = { npm: loadRecords('npm'), pypi: loadRecords('pypi'), golang: loadRecords('go') };

describe('customs scan <registry image>', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const registry = useRegistry({ auth: 'basic' });
  const ref = () => `${registry().host}/e2e/app:1.0`;
  let dbDir = '';

  before(async () => {
    dbDir = await mkdtemp(join(tmpdir(), 'customs-e2e-db-'));
    const imported = await runCustoms(['db', 'import', OSV_FIXTURES, '--db-dir', dbDir]);
    assert.equal(imported.code, 0, imported.stderr);
    const creds = { username: registry().username ?? '', password: registry().password ?? '' };
    await pushImage(images.layout, 'app', ref(), { creds });
  });
  after(() => rm(dbDir, { recursive: true, force: true }));

  async function scan(...extra: string[]): Promise<ScanDocument> {
    const { username = '', password = '' } = registry();
    const args = [
      'scan',
      ref(),
      '--format',
      'json',
      '--db-dir',
      dbDir,
      '--username',
      username,
      '--password',
      password,
    ];
    const result = await runCustoms([...args, ...extra]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ScanDocument;
  }

  /** Every record the oracle says affects `pkg` is in exactly one finding for it, with the right fix. */
  function assertPredicted(document: ScanDocument, pkg: ScanDocument['packages'][number]): number {
    const type = pkg.type as keyof typeof ECOSYSTEM;
    const expected = expectedAdvisories(RECORDS[type], ECOSYSTEM[type], pkg.name, pkg.version);
    const findings = document.findings.filter(
      (finding) => finding.package.name === pkg.name && finding.package.version === pkg.version,
    );
    const named = (finding: Finding) => new Set([finding.id, ...finding.aliases]);
    for (const advisory of expected) {
      const holders = findings.filter((finding) => named(finding).has(advisory.id));
      assert.equal(holders.length, 1, `${pkg.name} ${pkg.version}: ${advisory.id} in one finding`);
    }
    for (const finding of findings) {
      const records = expected.filter((advisory) => named(finding).has(advisory.id));
      assert.ok(records.length > 0, `${pkg.name} ${pkg.version}: ${finding.id} is predicted by a record`);
      assert.equal(
        finding.fixedVersion,
        highestFix(records, ECOSYSTEM[type]),
        `${pkg.name} ${finding.id} fixed version`,
      );
    }
    return expected.length;
  }

  test('every npm, PyPI and Go finding is what the real records predict, and nothing else', async () => {
    const document = await scan();
    let predicted = 0;
    for (const pkg of document.packages) {
      if (!(pkg.type in ECOSYSTEM) || pkg.ownedBy !== null) continue;
      predicted += assertPredicted(document, pkg);
    }
    assert.ok(predicted > 40, `${predicted} advisories predicted for the image`);
    const languageFindings = document.findings.filter((finding) => finding.package.type !== 'deb');
    assert.equal(
      languageFindings.length,
      document.findings.length,
      'no Debian data was imported: no deb findings',
    );
  });

  test('the advisories named in the issue, by id and fixed version', async () => {
    const document = await scan();
    const fixes = new Map<string, string | null>();
    for (const finding of document.findings) {
      for (const name of [finding.id, ...finding.aliases])
        fixes.set(`${finding.package.name} ${name}`, finding.fixedVersion);
    }
    const expected: Array<[string, string]> = [
      ['pip PYSEC-2023-228', '23.3'],
      ['express GHSA-rv95-896h-c2vc', '4.19.2'],
      ['express GHSA-qw6h-vgh9-j6wx', '4.20.0'],
      ['body-parser GHSA-qwcr-r2fm-qrc7', '1.20.3'],
      ['qs GHSA-hrpp-h998-j3pp', '6.7.3'],
      ['cookie GHSA-pxg6-pf52-xh8x', '0.7.0'],
      ['send GHSA-m6fv-jmcg-4jfg', '0.19.0'],
      ['serve-static GHSA-cm22-4g7w-348p', '1.16.0'],
      ['path-to-regexp GHSA-9wv6-86v2-598j', '0.1.10'],
      ['stdlib GO-2023-1751', '1.19.9'],
    ];
    assert.deepEqual(
      expected.map(([key]) => [key, fixes.get(key)]),
      expected,
    );
  });

  test("Debian's own Python packages are covered by their debs unless --include-os-owned", async () => {
    const osOwned = ['urllib3', 'requests', 'Jinja2'];
    const plain = await scan();
    for (const name of osOwned) {
      assert.deepEqual(
        plain.findings.filter((finding) => finding.package.name === name),
        [],
        `${name} not matched upstream`,
      );
      const covered = plain.coveredByOsPackages.find((entry) => entry.package.name === name);
      assert.match(covered?.ownedBy ?? '', /^pkg:deb\/debian\/python3-/);
    }
    const opted = await scan('--include-os-owned');
    for (const name of osOwned) {
      const pkg = opted.packages.find((candidate) => candidate.type === 'pypi' && candidate.name === name);
      assert.ok(pkg, name);
      assert.ok(assertPredicted(opted, pkg) > 0, `${name} has advisories in the fixtures`);
    }
    assert.deepEqual(opted.coveredByOsPackages, []);
  });
});

/** Merged records name one finding; upgrading to the highest of their fixes clears them all. */
function highestFix(records: readonly ExpectedAdvisory[], ecosystem: OracleEcosystem): string | null {
  const fixes = records.flatMap((record) => (record.fixed === null ? [] : [record.fixed]));
  if (fixes.length === 0) return null;
  return fixes.reduce((best, fix) => (compareVersions(ecosystem, fix, best) > 0 ? fix : best));
}
