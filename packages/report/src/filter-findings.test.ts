import assert from 'node:assert/strict';
import test from 'node:test';
import { isCustomsError } from '@customs/errors';
import { SEVERITIES, type Finding } from '@customs/model';
import { filterFindings, parseSeverities } from './filter-findings.js';
import { compareFindings, sortFindings } from './finding-order.js';
import { goofScan } from './testing/goof-scan.js';

const names = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.id} ${f.package.name}@${f.package.version}`);

test('no filter keeps every finding in its order', async () => {
  const { findings } = await goofScan();
  assert.deepEqual(filterFindings(findings), findings);
  assert.deepEqual(filterFindings(findings, {}), findings);
});

test('a severity list keeps only those severities', async () => {
  const { findings } = await goofScan();
  assert.deepEqual(names(filterFindings(findings, { severities: ['MEDIUM', 'LOW'] })), [
    'CVE-2024-47764 cookie@0.1.2',
    'CVE-2024-43796 express@4.12.4',
    'CVE-2024-29041 express@4.12.4',
  ]);
  assert.equal(filterFindings(findings, { severities: ['CRITICAL'] }).length, 0);
  assert.equal(filterFindings(findings, { severities: [] }).length, 0);
  assert.equal(filterFindings(findings, { severities: [...SEVERITIES] }).length, 10);
});

test('ignoreUnfixed drops exactly the findings without a fixed version', async () => {
  const { findings } = await goofScan();
  const kept = filterFindings(findings, { ignoreUnfixed: true });
  assert.equal(kept.length, 9);
  assert.deepEqual(
    findings.filter((f) => !kept.includes(f)).map((f) => f.id),
    ['CVE-2026-33997'],
  );
  assert.equal(filterFindings(findings, { ignoreUnfixed: false }).length, 10);
});

test('both filters together: UNKNOWN only, fixed only', async () => {
  const { findings } = await goofScan();
  assert.deepEqual(names(filterFindings(findings, { severities: ['UNKNOWN'], ignoreUnfixed: true })), [
    'CVE-2024-45337 golang.org/x/crypto@v0.0.0-20201002170205-7f63de1d35b0',
  ]);
});

test('parseSeverities reads a comma list in any case, drops repeats, and orders most severe first', () => {
  assert.deepEqual(parseSeverities('critical,HIGH'), ['CRITICAL', 'HIGH']);
  assert.deepEqual(parseSeverities(' low , High,low '), ['HIGH', 'LOW']);
  assert.deepEqual(parseSeverities('unknown,negligible,LOW,medium,high,critical'), [...SEVERITIES]);
  assert.deepEqual(parseSeverities('none,low'), ['LOW', 'NEGLIGIBLE'], 'CVSS NONE is NEGLIGIBLE');
});

test('parseSeverities refuses unknown and empty names with SEVERITY_INVALID and a hint', () => {
  for (const list of ['HIGH,URGENT', '', 'HIGH,', 'MODERATE']) {
    assert.throws(
      () => parseSeverities(list),
      (error: unknown) => {
        assert.ok(isCustomsError(error, 'SEVERITY_INVALID'), list);
        assert.equal(
          error.hint,
          'use a comma-separated list of CRITICAL, HIGH, MEDIUM, LOW, NEGLIGIBLE, UNKNOWN',
        );
        return true;
      },
    );
  }
  assert.throws(() => parseSeverities('HIGH,URGENT'), { message: 'unknown severity "URGENT"' });
});

test('sorting: severity first, then name, version, type, path, id; the input is not changed', async () => {
  const { findings } = await goofScan();
  const before = [...findings];
  const sorted = sortFindings(findings);
  assert.deepEqual(findings, before);
  assert.deepEqual(names(sorted).slice(0, 3), [
    'CVE-2024-45590 body-parser@1.9.0',
    'CVE-2025-15284 qs@1.2.2',
    'CVE-2025-15284 qs@2.2.4',
  ]);
  const express = sorted.filter((f) => f.package.name === 'express').map((f) => f.id);
  assert.deepEqual(express, ['CVE-2024-29041', 'CVE-2024-43796']);
  const [high, medium] = [sorted[0], sorted[5]];
  assert.ok(high && medium);
  assert.ok(compareFindings(high, medium) < 0);
  assert.ok(compareFindings(medium, high) > 0);
  assert.equal(compareFindings(high, { ...high }), 0);
  // Same severity and package, names compared by code point, not by locale: 'Z' < 'a'.
  assert.ok(compareFindings({ ...medium, id: 'Z-1' }, { ...medium, id: 'a-1' }) < 0);
  assert.ok(compareFindings({ ...medium, path: 'b' }, { ...medium, path: 'a' }) > 0);
});
