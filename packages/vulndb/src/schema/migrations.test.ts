import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrate, openDatabase, type Database } from '@customs/db';
import { VULNDB_MIGRATIONS, VULNDB_NAMESPACE, migrateVulnDb } from './migrations.js';

describe('0002-package-lookup on a database filled before it', () => {
  let db: Database;
  before(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
  });
  after(async () => {
    await db.close();
  });

  it('builds the lookup rows from the entries already stored', async () => {
    await migrate(db, { namespace: VULNDB_NAMESPACE, migrations: VULNDB_MIGRATIONS.slice(0, 1) });
    // Rows as 0001's import wrote them (test-made, shaped after DLA-3022-1).
    await db.exec(`
      insert into vulndb_advisories (id, modified, severity_rating, severity_source, record, source)
      values ('DLA-3022-1', '2026-03-09T01:23:37.553205Z', 'UNKNOWN', 'none', '{}', 'test');
      insert into vulndb_affected (advisory_id, ordinal, ecosystem, ecosystem_base, ecosystem_release, release_key,
        package_name, name_key, ranges, versions)
      values ('DLA-3022-1', 0, 'Debian:9', 'Debian', '9', '9', 'dpkg', 'dpkg',
        '[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.18.26"}]}]', '["1.18.24"]');`);
    assert.deepEqual(await migrateVulnDb(db), {
      applied: [
        '0002-package-lookup',
        '0003-package-lookup-upstream',
        '0004-data-versions',
        '0005-severity-sources',
        '0006-match-keys',
        '0007-packages-generation',
      ],
    });
    const rows = await db.query<{ release_key: string; entries: string; revision: string }>(
      'select release_key, entries, revision::text from vulndb_packages',
    );
    assert.equal(rows.length, 1);
    // 0006 numbered the row already there.
    assert.match(rows[0]?.revision ?? '', /^\d+$/);
    assert.equal(rows[0]?.release_key, '9');
    const [entry] = JSON.parse(rows[0]?.entries ?? '[]') as Array<Record<string, unknown>>;
    assert.equal(entry?.advisoryId, 'DLA-3022-1');
    assert.deepEqual(entry?.versions, ['1.18.24']);
    assert.deepEqual(entry?.upstream, []);
    assert.deepEqual(entry?.severity, { rating: 'UNKNOWN', score: null, vector: null, source: 'none' });
  });
});
