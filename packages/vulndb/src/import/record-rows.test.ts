import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDocumentText } from '../osv/parse-document.js';
import { validateOsvRecord } from '../osv/osv-record.js';
import { OSV_FIXTURES } from '../test-backends.js';
import { recordRows, uncoveredVersions } from './record-rows.js';

async function rowsOf(path: string) {
  const document = parseDocumentText(
    await readFile(join(OSV_FIXTURES, path), 'utf8'),
    path.endsWith('.json') ? 'json' : 'yaml',
  );
  const validation = validateOsvRecord(document);
  assert.ok(validation.ok);
  return recordRows(validation.record, document, 'test');
}

describe('recordRows', () => {
  it('splits ecosystem and release, normalises names, keeps the source package name (DLA-3008-1)', async () => {
    const { affected, ecosystems, gitRanges } = await rowsOf('debian/DLA-3008-1.json');
    assert.deepEqual(ecosystems, ['Debian']);
    assert.equal(gitRanges, 0);
    assert.deepEqual(
      affected.map((row) => [
        row.ecosystem,
        row.ecosystem_base,
        row.ecosystem_release,
        row.release_key,
        row.name_key,
      ]),
      [['Debian:9', 'Debian', '9', '9', 'openssl']],
    );
  });

  it('counts GIT ranges and leaves them out of the evaluated ranges (PYSEC-2012-7)', async () => {
    const { affected, gitRanges } = await rowsOf('pypi/PYSEC-2012-7.yaml');
    assert.equal(gitRanges, 1);
    assert.deepEqual(
      affected[0]?.ranges.map((range) => range.type),
      ['ECOSYSTEM'],
    );
  });
});

describe('uncoveredVersions', () => {
  it('drops listed versions the ranges already cover: all 19 of DLA-3008-1', async () => {
    const [row] = (await rowsOf('debian/DLA-3008-1.json')).affected;
    assert.equal(row?.versions.length, 19);
    assert.deepEqual(row?.versions_extra, []);
  });

  it('keeps listed versions outside the ranges and those the scheme cannot read', async () => {
    const [row] = (await rowsOf('debian/DLA-3022-1.json')).affected;
    assert.ok(row);
    // DLA-3022-1 is [0, 1.18.26) listing 1.18.24 and 1.18.25; the test adds one above the fix and one
    // that is no dpkg version.
    const entry = {
      ecosystem: row.ecosystem,
      ranges: row.ranges,
      versions: [...row.versions, '1.19.0', 'x y'],
    };
    assert.deepEqual(uncoveredVersions(entry), ['1.19.0', 'x y']);
  });
});
