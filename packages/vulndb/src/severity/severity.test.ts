import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateOsvRecord } from '../osv/osv-record.js';
import { OSV_FIXTURES } from '../test-backends.js';
import { scoreCvss } from './cvss.js';
import { ratingFromWord, severityOfRecord } from './severity.js';

describe('scoreCvss against FIRST examples', () => {
  it('CVSS 3.1: CVE-2014-0160 Heartbleed scores 7.5 and CVE-2013-1937 phpMyAdmin 6.1 (v3.1 examples document)', () => {
    assert.deepEqual(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'), {
      version: '3.1',
      score: 7.5,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    });
    assert.equal(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N')?.score, 6.1);
  });

  it('CVSS 4.0: Heartbleed rescored in the v4.0 examples is 8.7; all-high vulnerable system 9.3', () => {
    assert.equal(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N')?.score, 8.7);
    assert.equal(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')?.score, 9.3);
  });

  it('refuses vectors that are incomplete or carry impossible values, rather than scoring them 0', () => {
    assert.equal(scoreCvss('CVSS:3.1/AV:N'), null);
    assert.equal(scoreCvss('CVSS:3.1/AV:Z/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'), null);
    assert.equal(scoreCvss('not a vector'), null);
  });
});

async function record(path: string) {
  const validation = validateOsvRecord(JSON.parse(await readFile(join(OSV_FIXTURES, path), 'utf8')));
  assert.ok(validation.ok);
  return validation.record;
}

describe('severityOfRecord on real records', () => {
  it('scores the CVSS 4.0 vector a record carries (GHSA-gmj6-6f8f-6699: CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N)', async () => {
    const severity = severityOfRecord(await record('pypi/GHSA-gmj6-6f8f-6699.json'));
    assert.equal(severity.source, 'CVSS_V4');
    assert.equal(severity.vector?.startsWith('CVSS:4.0/'), true);
    assert.equal(severity.score, scoreCvss(severity.vector ?? '')?.score);
  });

  it('falls back to GHSA database_specific severity, MODERATE meaning MEDIUM', () => {
    assert.equal(ratingFromWord('MODERATE'), 'MEDIUM');
    const severity = severityOfRecord({
      id: 'X',
      modified: '2024-01-01T00:00:00Z',
      database_specific: { severity: 'MODERATE' },
    });
    assert.deepEqual(severity, { rating: 'MEDIUM', score: null, vector: null, source: 'database_specific' });
  });

  it('reads distro priorities in words and is UNKNOWN when nothing rates the record (DLA-3022-1)', async () => {
    assert.equal(ratingFromWord('negligible'), 'LOW');
    assert.equal(ratingFromWord('not yet assigned'), null);
    assert.deepEqual(severityOfRecord(await record('debian/DLA-3022-1.json')), {
      rating: 'UNKNOWN',
      score: null,
      vector: null,
      source: 'none',
    });
  });
});
