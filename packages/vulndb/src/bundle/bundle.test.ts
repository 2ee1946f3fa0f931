import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '@customs/db';
import { importAdvisories } from '../import/import-advisories.js';
import { createVulnDbReader } from '../reader/vulndb-reader.js';
import { exportBundle } from './export-bundle.js';
import { importBundle } from './import-bundle.js';

const GO_RECORDS = fileURLToPath(new URL('../../../../test/fixtures/osv/go', import.meta.url));

describe('a bundle carries the whole database to an air-gapped site', () => {
  let scratch = '';
  let source: Database;
  let target: Database;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'customs-bundle-test-'));
    source = await openDatabase({ dataDir: 'memory://' });
    target = await openDatabase({ dataDir: 'memory://' });
    await importAdvisories(source, GO_RECORDS);
    // A CVE List rating as `db update` stores it (its values from CVE-2024-24790's CISA ADP metrics).
    await source.query(
      `insert into vulndb_cve_severity (cve_id, origin, provider, rating, score, vector, checked_at)
       values ('CVE-2024-24790', 'cve-adp', 'CISA-ADP', 'CRITICAL', 9.8,
               'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '2026-12-06T00:00:00Z')`,
    );
  });
  after(async () => {
    await source?.close();
    await target?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('brings the advisories and the CVE List ratings, checked against the manifest', async () => {
    const file = join(scratch, 'vulndb.tar.gz');
    const manifest = await exportBundle(source, file);
    assert.deepEqual(
      manifest.files.map((entry) => entry.name),
      ['advisories.ndjson', 'sources.json', 'cve-severities.json'],
    );
    await importBundle(target, file);
    const [sourceStatus, targetStatus] = await Promise.all(
      [source, target].map(async (db) => (await createVulnDbReader(db)).status()),
    );
    assert.ok(sourceStatus && sourceStatus.advisories > 0);
    assert.equal(targetStatus?.advisories, sourceStatus.advisories);
    const ratings = await target.query<{ cve_id: string; origin: string; rating: string }>(
      'select cve_id, origin, rating from vulndb_cve_severity',
    );
    assert.deepEqual(ratings, [{ cve_id: 'CVE-2024-24790', origin: 'cve-adp', rating: 'CRITICAL' }]);
  });
});
