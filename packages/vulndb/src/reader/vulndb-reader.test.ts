import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importAdvisories } from '../import/import-advisories.js';
import { affectedQueriesFor } from '../ecosystem/distro-ecosystem.js';
import { evaluateAffected } from '../ranges/evaluate-affected.js';
import { createTestBackends, OSV_FIXTURES, type TestBackends } from '../test-backends.js';
import { createVulnDbReader, hasAdvisories, type VulnDbReader } from './vulndb-reader.js';

let setup: TestBackends;
before(async () => {
  setup = await createTestBackends();
});
after(async () => {
  await setup.cleanup();
});

for (const index of [0, 1]) {
  describe(`createVulnDbReader (${index === 0 ? 'postgres' : 'pglite'})`, () => {
    let reader: VulnDbReader;
    before(async () => {
      const backend = setup.backends[index];
      assert.ok(backend);
      const db = await backend.open();
      await importAdvisories(db, OSV_FIXTURES);
      reader = await createVulnDbReader(db);
    });

    it('matches a distro package only in the release its advisory names (CVE-2022-27449, mariadb v3.12–v3.16)', async () => {
      const rows = await reader.affectedFor([
        { ecosystem: 'Alpine:v3.13', ecosystemBase: 'Alpine', release: 'v3.13', name: 'mariadb' },
        { ecosystem: 'Alpine:v3.17', ecosystemBase: 'Alpine', release: 'v3.17', name: 'mariadb' },
      ]);
      assert.deepEqual(
        rows.map((row) => [row.query, row.advisoryId, row.ecosystem]),
        [[0, 'CVE-2022-27449', 'Alpine:v3.13']],
      );
      assert.deepEqual(evaluateAffected(rows, '10.5.15-r0'), { status: 'affected', fixed: '10.5.16-r0' });
    });

    it('tells when advisories were published and modified, leaving out ids it does not hold', async () => {
      assert.ok(reader.advisoryDates, 'the database reader answers it');
      const dates = await reader.advisoryDates(['CVE-2022-27449', 'CVE-0000-00000']);
      assert.deepEqual([...dates.keys()], ['CVE-2022-27449']);
      assert.deepEqual(dates.get('CVE-2022-27449'), {
        published: new Date('2022-04-14T13:15:00Z'),
        modified: new Date('2022-10-07T18:59:00Z'),
      });
      assert.equal((await reader.advisoryDates([])).size, 0);
    });

    it('finds a Debian binary package through its source package (libssl1.1 from openssl, DLA-3008-1)', async () => {
      const stretch = { id: 'debian', versionId: '9', codename: 'stretch' };
      const queries = affectedQueriesFor(
        { type: 'deb', name: 'libssl1.1', source: { name: 'openssl' } },
        stretch,
      );
      const rows = await reader.affectedFor(queries);
      assert.deepEqual(
        rows.map((row) => row.advisoryId),
        ['DLA-3008-1'],
      );
      assert.deepEqual(evaluateAffected(rows, '1.1.0l-1~deb9u5'), {
        status: 'affected',
        fixed: '1.1.0l-1~deb9u6',
      });
      assert.deepEqual(
        await reader.affectedFor(affectedQueriesFor({ type: 'deb', name: 'libssl1.1' }, stretch)),
        [],
      );
    });

    it('with the installed version in the query, returns only whether it is listed', async () => {
      // DLA-3008-1 lists 19 versions, all inside its range: the lookup carries none of them.
      const query = { ecosystem: 'Debian:9', ecosystemBase: 'Debian', release: '9', name: 'openssl' };
      const [row] = await reader.affectedFor([{ ...query, version: '1.1.0f-3' }]);
      assert.deepEqual(row?.versions, []);
      assert.deepEqual(evaluateAffected(row ? [row] : [], '1.1.0f-3'), {
        status: 'affected',
        fixed: '1.1.0l-1~deb9u6',
      });
    });

    it('answers a whole inventory in one call, rows tagged with the query they answer', async () => {
      const rows = await reader.affectedFor([
        { ecosystem: 'PyPI', ecosystemBase: 'PyPI', release: null, name: 'jinja2' },
        { ecosystem: 'npm', ecosystemBase: 'npm', release: null, name: 'express' },
        { ecosystem: 'npm', ecosystemBase: 'npm', release: null, name: 'left-pad' },
      ]);
      // Eight fixture records name jinja2; two GHSA ones spell it `Jinja2`, which PEP 503 folds.
      assert.deepEqual(
        rows.filter((row) => row.query === 0).map((row) => row.advisoryId),
        [
          'GHSA-cpwx-vrp4-4pq7',
          'GHSA-gmj6-6f8f-6699',
          'GHSA-h5c8-rqwp-cp95',
          'GHSA-h75v-3vvj-5mfj',
          'GHSA-q2x7-8rv6-6q7h',
          'PYSEC-2014-82',
          'PYSEC-2019-217',
          'PYSEC-2019-220',
        ],
      );
      const express = rows.filter((row) => row.query === 1);
      assert.deepEqual(
        [...new Set(express.map((row) => row.advisoryId))],
        ['GHSA-qw6h-vgh9-j6wx', 'GHSA-rv95-896h-c2vc'],
      );
      const first = express[0];
      assert.ok(first);
      assert.deepEqual(first.aliases, ['CVE-2024-43796']);
      assert.deepEqual(first.severity, {
        rating: 'MEDIUM',
        score: 5,
        vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L',
        source: 'CVSS_V3',
      });
      assert.equal(rows.filter((row) => row.query === 2).length, 0);
    });
  });
}

for (const index of [0, 1]) {
  it(`hasAdvisories says whether anything is imported (${index === 0 ? 'postgres' : 'pglite'})`, async () => {
    const backend = setup.backends[index];
    assert.ok(backend);
    const db = await backend.open();
    await createVulnDbReader(db);
    assert.equal(await hasAdvisories(db), false);
    await importAdvisories(db, OSV_FIXTURES);
    assert.equal(await hasAdvisories(db), true);
  });
}
