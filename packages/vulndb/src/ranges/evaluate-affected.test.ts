import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDocumentText } from '../osv/parse-document.js';
import { validateOsvRecord } from '../osv/osv-record.js';
import { recordRows } from '../import/record-rows.js';
import { OSV_FIXTURES } from '../test-backends.js';
import type { AffectedRanges } from './affected-ranges.js';
import { defaultSchemes, evaluateAffected } from './evaluate-affected.js';

/** The affected entries of a real fixture record that name `name`, as the database returns them. */
async function entries(path: string, name: string): Promise<AffectedRanges[]> {
  const text = await readFile(join(OSV_FIXTURES, path), 'utf8');
  const document = parseDocumentText(text, path.endsWith('.json') ? 'json' : 'yaml');
  const validation = validateOsvRecord(document);
  assert.ok(validation.ok);
  return recordRows(validation.record, document, 'test')
    .affected.filter((row) => row.package_name === name)
    .map((row) => ({ ecosystem: row.ecosystem, ranges: row.ranges, versions: row.versions }));
}

/** A range written by the test to exercise a rule no fixture record uses (limit, last_affected). */
function synthetic(
  ecosystem: string,
  events: AffectedRanges['ranges'][number]['events'],
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' = 'ECOSYSTEM',
): AffectedRanges {
  return { ecosystem, ranges: [{ type, events }], versions: [] };
}

describe('evaluateAffected: fixed', () => {
  it('a version just below `fixed` is affected and `fixed` itself is not (DLA-3022-1, dpkg on Debian 9)', async () => {
    const dpkg = await entries('debian/DLA-3022-1.json', 'dpkg');
    assert.deepEqual(evaluateAffected(dpkg, '1.18.25'), { status: 'affected', fixed: '1.18.26' });
    assert.deepEqual(evaluateAffected(dpkg, '1.18.26~rc1'), { status: 'affected', fixed: '1.18.26' });
    assert.deepEqual(evaluateAffected(dpkg, '1.18.26'), { status: 'not-affected' });
    assert.deepEqual(evaluateAffected(dpkg, '1.19.0'), { status: 'not-affected' });
  });

  it('SEMVER ranges use SemVer 2.0 (npm GHSA-rv95-896h-c2vc, express)', async () => {
    const express = await entries('npm/GHSA-rv95-896h-c2vc.json', 'express');
    assert.deepEqual(evaluateAffected(express, '4.19.1'), { status: 'affected', fixed: '4.19.2' });
    assert.deepEqual(evaluateAffected(express, '4.19.2'), { status: 'not-affected' });
    // The second affected entry: 5.0.0-alpha.1 ≤ v < 5.0.0-beta.3, prerelease order per SemVer §11.
    assert.deepEqual(evaluateAffected(express, '5.0.0-beta.1'), {
      status: 'affected',
      fixed: '5.0.0-beta.3',
    });
    assert.deepEqual(evaluateAffected(express, '5.0.0-beta.3'), { status: 'not-affected' });
  });

  it('several introduced/fixed pairs in one range (RUSTSEC-2021-0003, smallvec)', async () => {
    const smallvec = await entries('crates.io/RUSTSEC-2021-0003.json', 'smallvec');
    assert.deepEqual(evaluateAffected(smallvec, '0.6.2'), { status: 'not-affected' });
    assert.deepEqual(evaluateAffected(smallvec, '0.6.13'), { status: 'affected', fixed: '0.6.14' });
    assert.deepEqual(evaluateAffected(smallvec, '0.6.14'), { status: 'not-affected' });
    assert.deepEqual(evaluateAffected(smallvec, '1.6.0'), { status: 'affected', fixed: '1.6.1' });
  });

  it('two affected entries for one package: the lowest fix above the version among those that affect it (GO-2023-2185)', async () => {
    const stdlib = await entries('go/GO-2023-2185.json', 'stdlib');
    assert.equal(stdlib.length, 2);
    // 1.20.5 is in the first entry's [0, 1.20.11) only; a Go toolchain writes the `v`.
    assert.deepEqual(evaluateAffected(stdlib, 'v1.20.5'), { status: 'affected', fixed: '1.20.11' });
    // 1.20.11 is in the second entry's [1.20.11, 1.20.12).
    assert.deepEqual(evaluateAffected(stdlib, '1.20.11'), { status: 'affected', fixed: '1.20.12' });
    assert.deepEqual(evaluateAffected(stdlib, '1.20.12'), { status: 'not-affected' });
  });

  it('ranges in any order: PEP 440 ranges listed newest first (PYSEC-2023-100, django)', async () => {
    const django = await entries('pypi/PYSEC-2023-100.yaml', 'django');
    assert.deepEqual(evaluateAffected(django, '4.1.9'), { status: 'affected', fixed: '4.1.10' });
    assert.deepEqual(evaluateAffected(django, '4.2.2'), { status: 'affected', fixed: '4.2.3' });
    assert.deepEqual(evaluateAffected(django, '4.2.3'), { status: 'not-affected' });
  });
});

describe('evaluateAffected: versions lists, GIT, last_affected, limit', () => {
  it('matches an explicit `versions` entry (DLA-3008-1 lists 1.1.0g-2+riscv64)', async () => {
    const openssl = await entries('debian/DLA-3008-1.json', 'openssl');
    assert.deepEqual(evaluateAffected(openssl, '1.1.0g-2+riscv64'), {
      status: 'affected',
      fixed: '1.1.0l-1~deb9u6',
    });
    // A list without ranges (test-made): only the listed versions are affected.
    const listOnly = { ecosystem: 'PyPI', ranges: [], versions: ['1.0', '2.0.1'] };
    assert.deepEqual(evaluateAffected([listOnly], '1.0.0'), { status: 'affected', fixed: null });
    assert.deepEqual(evaluateAffected([listOnly], '1.5'), { status: 'not-affected' });
  });

  it('ignores GIT ranges: a record with GIT and ECOSYSTEM ranges is decided by the ECOSYSTEM one (PYSEC-2012-7)', async () => {
    // The record's own ranges, GIT included (import leaves GIT out; here the evaluator must skip it).
    const document = parseDocumentText(
      await readFile(join(OSV_FIXTURES, 'pypi/PYSEC-2012-7.yaml'), 'utf8'),
      'yaml',
    );
    const validation = validateOsvRecord(document);
    assert.ok(validation.ok);
    const raw = validation.record.affected?.[0];
    assert.ok(raw?.ranges);
    const withGit = [{ ecosystem: 'PyPI', ranges: raw.ranges, versions: [] }];
    assert.deepEqual(
      raw.ranges.map((range) => range.type),
      ['GIT', 'ECOSYSTEM'],
    );
    const gitOnly = synthetic(
      'PyPI',
      [{ introduced: '0' }, { fixed: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' }],
      'GIT',
    );
    assert.deepEqual(evaluateAffected(withGit, '1.4.1'), { status: 'affected', fixed: '1.4.2' });
    assert.deepEqual(evaluateAffected([gitOnly], '1.4.1'), { status: 'not-affected' });
  });

  it('`last_affected` is itself affected, anything above is not', () => {
    const range = synthetic('npm', [{ introduced: '1.0.0' }, { last_affected: '1.4.2' }], 'SEMVER');
    assert.deepEqual(evaluateAffected([range], '1.4.2'), { status: 'affected', fixed: null });
    assert.deepEqual(evaluateAffected([range], '1.4.3'), { status: 'not-affected' });
    assert.deepEqual(evaluateAffected([range], '0.9.0'), { status: 'not-affected' });
  });

  it('`limit` bounds the range from above; "*" is infinity', () => {
    const limited = synthetic('PyPI', [{ introduced: '0' }, { limit: '2.0' }]);
    assert.deepEqual(evaluateAffected([limited], '1.9'), { status: 'affected', fixed: null });
    assert.deepEqual(evaluateAffected([limited], '2.0'), { status: 'not-affected' });
    const unbounded = synthetic('PyPI', [{ introduced: '1.0' }, { limit: '*' }]);
    assert.deepEqual(evaluateAffected([unbounded], '99.0'), { status: 'affected', fixed: null });
  });
});

describe('evaluateAffected: versions it cannot order', () => {
  it('an unparseable installed version is an error, never affected or safe', async () => {
    const dpkg = await entries('debian/DLA-3022-1.json', 'dpkg');
    const verdict = evaluateAffected(dpkg, 'not a version!');
    assert.equal(verdict.status, 'error');
    assert.equal(verdict.status === 'error' && verdict.error.code, 'INVALID_VERSION');
  });

  it('an unparseable version in the record is an error unless another range decides', () => {
    const broken = synthetic('npm', [{ introduced: '0' }, { fixed: 'banana' }], 'SEMVER');
    const verdict = evaluateAffected([broken], '1.0.0');
    assert.equal(verdict.status === 'error' && verdict.error.code, 'INVALID_VERSION');
    const good = synthetic('npm', [{ introduced: '0' }, { fixed: '2.0.0' }], 'SEMVER');
    assert.deepEqual(evaluateAffected([broken, good], '1.0.0'), { status: 'affected', fixed: '2.0.0' });
  });

  it('an ecosystem without a version scheme is an error', () => {
    const verdict = evaluateAffected([synthetic('Hackage', [{ introduced: '0' }, { fixed: '1.0' }])], '0.5');
    assert.equal(verdict.status === 'error' && verdict.error.code, 'UNKNOWN_ECOSYSTEM');
  });
});

describe('defaultSchemes', () => {
  it('remembers parses without changing answers, failures included', () => {
    const scheme = defaultSchemes('Debian:12', 'ECOSYSTEM');
    assert.equal(defaultSchemes('Debian:11', 'ECOSYSTEM'), scheme);
    assert.equal(scheme.parse('1.18.25'), scheme.parse('1.18.25'));
    assert.equal(scheme.compare('1.18.25', '1.18.26'), -1);
    assert.throws(
      () => scheme.parse('not a version!'),
      (error: Error & { code?: string }) => error.code === 'INVALID_VERSION',
    );
    assert.throws(
      () => scheme.parse('not a version!'),
      (error: Error & { code?: string }) => error.code === 'INVALID_VERSION',
    );
    assert.equal(scheme.isValid('not a version!'), false);
    assert.equal(scheme.isValid('1:2.0-1'), true);
  });
});
