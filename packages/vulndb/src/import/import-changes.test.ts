import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '@customs/db';
import { createTestBackends, OSV_FIXTURES, type TestBackends } from '../test-backends.js';
import { createVulnDbReader } from '../reader/vulndb-reader.js';
import { importAdvisories } from './import-advisories.js';

let setup: TestBackends;
let scratch: string;
before(async () => {
  setup = await createTestBackends();
  scratch = await mkdtemp(join(tmpdir(), 'customs-import-changes-'));
});
after(async () => {
  await setup.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

async function fixture(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(OSV_FIXTURES, path), 'utf8')) as Record<string, unknown>;
}

/** Writes documents into a fresh directory; every one is a real record, possibly edited by the test (said where). */
async function directoryOf(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

for (const index of [0, 1]) {
  const kind = index === 0 ? 'postgres' : 'pglite';
  describe(`import changes (${kind})`, () => {
    let db: Database;
    before(async () => {
      const backend = setup.backends[index];
      assert.ok(backend);
      db = await backend.open();
    });

    it('replaces a record only with a newer modified', async () => {
      const real = await fixture('npm/GHSA-rv95-896h-c2vc.json');
      // Edited copies of the real record, made here: an older edition and a newer one.
      const older = { ...real, modified: '2024-03-01T00:00:00Z', summary: 'older edition (test edit)' };
      const newer = {
        ...real,
        modified: '2024-06-01T00:00:00.123456Z',
        summary: 'newer edition (test edit)',
      };
      const newerOneEntry = { ...newer, affected: (real.affected as unknown[]).slice(0, 1) };

      await importAdvisories(db, await directoryOf(`${kind}-real`, { 'real.json': JSON.stringify(real) }));
      const stale = await importAdvisories(
        db,
        await directoryOf(`${kind}-older`, { 'older.json': JSON.stringify(older) }),
      );
      assert.equal(stale.totals.unchanged, 1);
      assert.deepEqual(await summaryOf(db, 'GHSA-rv95-896h-c2vc'), [{ summary: real.summary, entries: 2 }]);

      const fresh = await importAdvisories(
        db,
        await directoryOf(`${kind}-newer`, { 'newer.json': JSON.stringify(newerOneEntry) }),
      );
      assert.equal(fresh.totals.updated, 1);
      assert.deepEqual(await summaryOf(db, 'GHSA-rv95-896h-c2vc'), [
        { summary: 'newer edition (test edit)', entries: 1 },
      ]);
      // The matcher's lookup rows follow the update in the same transaction.
      const express = await (
        await createVulnDbReader(db)
      ).affectedFor([{ ecosystem: 'npm', ecosystemBase: 'npm', release: null, name: 'express' }]);
      assert.deepEqual(
        express.map((row) => [row.advisoryId, row.summary]),
        [['GHSA-rv95-896h-c2vc', 'newer edition (test edit)']],
      );

      // Same timestamp to the microsecond: not newer, so nothing changes.
      const again = await importAdvisories(
        db,
        await directoryOf(`${kind}-same`, { 'same.json': JSON.stringify({ ...newer, summary: 'x' }) }),
      );
      assert.equal(again.totals.unchanged, 1);
    });

    it('removes a stored record when its withdrawn version arrives', async () => {
      const withdrawn = await fixture('crates.io/RUSTSEC-2023-0002.json');
      assert.equal(typeof withdrawn.withdrawn, 'string');
      // The record as it stood before withdrawal, reconstructed by the test: no `withdrawn`, older modified.
      const before: Record<string, unknown> = { ...withdrawn, modified: '2023-01-01T00:00:00Z' };
      delete before.withdrawn;
      const first = await importAdvisories(
        db,
        await directoryOf(`${kind}-before`, { 'r.json': JSON.stringify(before) }),
      );
      assert.equal(first.totals.imported, 1);
      const second = await importAdvisories(db, join(OSV_FIXTURES, 'crates.io/RUSTSEC-2023-0002.json'));
      assert.deepEqual(
        second.ecosystems.map((entry) => [entry.ecosystem, entry.removed]),
        [['crates.io', 1]],
      );
      assert.deepEqual(await db.query(`select id from vulndb_advisories where id = 'RUSTSEC-2023-0002'`), []);
      assert.deepEqual(
        await db.query(`select advisory_id from vulndb_affected where advisory_id = 'RUSTSEC-2023-0002'`),
        [],
      );
      const reader = await createVulnDbReader(db);
      const git2 = await reader.affectedFor([
        { ecosystem: 'crates.io', ecosystemBase: 'crates.io', release: null, name: 'git2' },
      ]);
      assert.deepEqual(git2, []);
    });

    it('counts and names malformed records, imports the rest, and half-writes none', async () => {
      const good = await fixture('pypi/GHSA-248v-346w-9cwc.json');
      const goodToo = await fixture('go/GO-2022-0956.json');
      const base = await fixture('npm/GHSA-27h2-hvpr-p74q.json');
      const text = JSON.stringify(base);
      // Broken on purpose, each a copy of a real record: cut short, `modified` removed, a range with
      // both fixed and last_affected, and a NUL character (valid JSON, refused by PostgreSQL jsonb).
      const broken = {
        'a-truncated.json': text.slice(0, 120),
        'b-no-modified.json': JSON.stringify({ ...base, id: 'TEST-NO-MODIFIED', modified: undefined }),
        'c-fixed-and-last.json': JSON.stringify({
          ...base,
          id: 'TEST-FIXED-AND-LAST',
          affected: [
            {
              package: { ecosystem: 'npm', name: 'x' },
              ranges: [
                {
                  type: 'SEMVER',
                  events: [{ introduced: '0' }, { fixed: '1.0.0' }, { last_affected: '0.9.0' }],
                },
              ],
            },
          ],
        }),
        'd-nul.json': JSON.stringify({ ...base, id: 'TEST-NUL', summary: 'nul \u0000 inside' }),
      };
      const dir = await directoryOf(`${kind}-malformed`, {
        ...broken,
        'e-good.json': JSON.stringify(good),
        'f-good.json': JSON.stringify(goodToo),
      });
      const report = await importAdvisories(db, dir);
      assert.deepEqual(
        report.invalid.map((entry) => [entry.file, entry.id, entry.problem.split(':')[0]]),
        [
          ['a-truncated.json', '?', 'not valid JSON'],
          ['b-no-modified.json', 'TEST-NO-MODIFIED', 'modified'],
          ['c-fixed-and-last.json', 'TEST-FIXED-AND-LAST', 'affected.0.ranges.0'],
          ['d-nul.json', 'TEST-NUL', 'database refused it'],
        ],
      );
      assert.match(report.invalid[2]?.problem ?? '', /cannot have both "fixed" and "last_affected"/);
      assert.deepEqual(report.totals, {
        imported: 2,
        updated: 0,
        unchanged: 0,
        removed: 0,
        withdrawn: 0,
        invalid: 4,
        gitRangesIgnored: 0,
      });
      assert.deepEqual(
        report.ecosystems.map((entry) => [entry.ecosystem, entry.imported, entry.invalid]),
        [
          ['(unknown)', 0, 1],
          ['Go', 1, 0],
          ['PyPI', 1, 0],
          ['npm', 0, 3],
        ],
      );
      assert.deepEqual(await db.query(`select id from vulndb_advisories where id like 'TEST-%'`), []);
      assert.deepEqual(
        await db.query(`select advisory_id from vulndb_affected where advisory_id like 'TEST-%'`),
        [],
      );
      assert.deepEqual(
        await db.query(
          `select id from vulndb_advisories where id in ('GHSA-248v-346w-9cwc', 'GO-2022-0956') order by id`,
        ),
        [{ id: 'GHSA-248v-346w-9cwc' }, { id: 'GO-2022-0956' }],
      );
    });
  });
}

async function summaryOf(db: Database, id: string): Promise<Array<{ summary: string; entries: number }>> {
  return db.query(
    `select summary, (select count(*)::int from vulndb_affected where advisory_id = $1) as entries from vulndb_advisories where id = $1`,
    [id],
  );
}
