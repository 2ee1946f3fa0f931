import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@customs/db';
import { createVulnDbReader } from '../reader/vulndb-reader.js';
import { createTestBackends, OSV_FIXTURES, type TestBackends } from '../test-backends.js';
import { importAdvisories } from './import-advisories.js';
import { changedCount, type EcosystemCounts } from './import-report.js';

let setup: TestBackends;
before(async () => {
  setup = await createTestBackends();
});
after(async () => {
  await setup.cleanup();
});

const zero = {
  imported: 0,
  updated: 0,
  unchanged: 0,
  removed: 0,
  withdrawn: 0,
  invalid: 0,
  gitRangesIgnored: 0,
};

/**
 * Every file under test/fixtures/osv: 500 OSV records (4 of them withdrawn) and three Alpine secdb
 * files. The secdb files name 1,937 distinct CVE ids (counted with PyYAML outside this code); 1,932
 * become ALPINE-<CVE> records: 4 CVEs appear only under fix versions apk cannot read ("4.8.0.-r1",
 * also in OSV.dev's own invalid_versions list) and one only under opensmtpd "6.6.2p1-r0" (no `_`
 * before the suffix). Alpine = those 1,932 + 2 OSV JSON records. PyPA's YAML carries 46 GIT ranges.
 */
const EXPECTED_FIRST: EcosystemCounts[] = [
  { ...zero, ecosystem: 'Alpine', imported: 1934 },
  { ...zero, ecosystem: 'Debian', imported: 4 },
  { ...zero, ecosystem: 'Go', imported: 212, withdrawn: 1 },
  { ...zero, ecosystem: 'Maven', imported: 4 },
  { ...zero, ecosystem: 'PyPI', imported: 194, withdrawn: 1, gitRangesIgnored: 46 },
  { ...zero, ecosystem: 'RubyGems', imported: 2 },
  { ...zero, ecosystem: 'crates.io', imported: 63, withdrawn: 2 },
  { ...zero, ecosystem: 'npm', imported: 15 },
];

for (const backend of [0, 1]) {
  describe(`import of every fixture record (backend ${backend === 0 ? 'postgres' : 'pglite'})`, () => {
    let db: Database;
    before(async () => {
      const chosen = setup.backends[backend];
      assert.ok(chosen);
      db = await chosen.open();
    });

    it('imports every record, counted per ecosystem, with nothing invalid', async () => {
      const report = await importAdvisories(db, OSV_FIXTURES);
      assert.deepEqual(report.ecosystems, EXPECTED_FIRST);
      assert.deepEqual(report.totals, { ...zero, imported: 2428, withdrawn: 4, gitRangesIgnored: 46 });
      assert.deepEqual(report.invalid, []);
      // The go-vcr cassettes are API recordings, not records: skipped by name, not counted invalid.
      assert.deepEqual(
        report.skipped.filter((skip) => skip.file.startsWith('api-osv-dev/')),
        [
          {
            file: 'api-osv-dev/osv-scanner-cassette-TestCommand_Docker.yaml',
            problem: 'neither an OSV record nor an Alpine secdb file',
          },
          {
            file: 'api-osv-dev/osv-scanner-cassette-TestCommand_OCIImage_JSONFormat.yaml',
            problem: 'neither an OSV record nor an Alpine secdb file',
          },
        ],
      );
      assert.equal(report.source, OSV_FIXTURES);
    });

    it('changes nothing when the same data is imported again', async () => {
      const report = await importAdvisories(db, OSV_FIXTURES);
      assert.equal(changedCount(report.totals), 0);
      assert.deepEqual(report.totals, { ...zero, unchanged: 2428, withdrawn: 4, gitRangesIgnored: 46 });
      const [count] = await db.query<{ n: number }>('select count(*)::int as n from vulndb_advisories');
      assert.equal(count?.n, 2428);
    });

    it('reports per-ecosystem counts and the last import in status()', async () => {
      const status = await (await createVulnDbReader(db)).status();
      assert.equal(status.advisories, 2428);
      assert.deepEqual(
        status.ecosystems.map((entry) => [entry.ecosystem, entry.advisories]),
        [
          ['Alpine', 1934],
          ['Debian', 4],
          ['Go', 212],
          ['Maven', 4],
          ['PyPI', 194],
          ['RubyGems', 2],
          ['crates.io', 63],
          ['npm', 15],
        ],
      );
      assert.equal(status.lastImport?.source, OSV_FIXTURES);
      assert.ok(status.ecosystems.every((entry) => entry.lastImport?.source === OSV_FIXTURES));
    });

    it('keeps the record exactly as published, YAML versions included', async () => {
      // PYSEC-2008-1.yaml writes `fixed: "1.1"`; versions must not come back as numbers.
      const [row] = await db.query<{ record: { affected: Array<{ ranges: Array<{ events: unknown[] }> }> } }>(
        `select record from vulndb_advisories where id = 'PYSEC-2008-1'`,
      );
      assert.deepEqual(row?.record.affected[0]?.ranges[0]?.events, [{ introduced: '0' }, { fixed: '1.1' }]);
    });
  });
}
