import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { schemeForEcosystem } from '../ecosystems.js';
import type { Comparison } from '../scheme.js';
import { readFixture } from '../testing/vector-file.js';
import { normalizeComposerBranch, normalizeComposerVersion, packagist } from './packagist.js';

/** One data provider of composer/semver's tests, transcribed to JSON (test/fixtures/SOURCES.md). */
function provider(file: string, name: string): unknown[][] {
  const parsed: unknown = JSON.parse(readFixture(file));
  const rows: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, name) : null;
  assert.ok(Array.isArray(rows) && rows.length > 0, `${file}: ${name}`);
  return rows.filter((row): row is unknown[] => Array.isArray(row));
}

const PARSER = 'composer-semver-version-parser.json';
const COMPARATOR = 'composer-semver-comparator.json';

test('VersionParser::normalize: every successful case gives composer/semver’s normalized string', () => {
  const wrong = provider(PARSER, 'successfulNormalizedVersions').filter(
    ([, input, expected]) => normalizeComposerVersion(String(input)) !== expected,
  );
  assert.deepEqual(wrong, []);
});

test('VersionParser::normalize: every failing case is refused, and so is not a Packagist version', () => {
  const accepted = provider(PARSER, 'failingNormalizedVersions').filter(
    ([, input]) => normalizeComposerVersion(String(input)) !== null || packagist.isValid(String(input)),
  );
  assert.deepEqual(accepted, []);
});

test('VersionParser::isValid and normalizeBranch cases', () => {
  for (const [input, expected] of provider(PARSER, 'isValidVersions')) {
    assert.equal(packagist.isValid(String(input)), expected, String(input));
  }
  for (const [name, input, expected] of provider(PARSER, 'successfulNormalizedBranches')) {
    assert.equal(normalizeComposerBranch(String(input)), expected, String(name));
  }
});

const HOLDS: Readonly<Record<string, (order: Comparison) => boolean>> = {
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '==': (order) => order === 0,
  '=': (order) => order === 0,
  '!=': (order) => order !== 0,
  '<>': (order) => order !== 0,
};

const PROVIDER_OPERATORS: ReadonlyArray<readonly [string, string]> = [
  ['greaterThanProvider', '>'],
  ['greaterThanOrEqualToProvider', '>='],
  ['lessThanProvider', '<'],
  ['lessThanOrEqualToProvider', '<='],
  ['equalToProvider', '=='],
  ['notEqualToProvider', '!='],
];

/**
 * Exception: Comparator orders a named branch against a version with PHP's version_compare on the
 * raw text ("dev-foo" < "1.26.0") and answers false for every operator between two branches.
 * Customs refuses to order a branch against anything but itself (INVALID_VERSION), as Composer's
 * own constraint matching never lets a branch satisfy a version range.
 */
function isBranchPair(a: string, b: string): boolean {
  return (a.startsWith('dev-') || b.startsWith('dev-')) && a !== b;
}

function comparatorCases(): Array<[string, string, string, unknown]> {
  const cases: Array<[string, string, string, unknown]> = [];
  for (const [name, operator] of PROVIDER_OPERATORS) {
    for (const [a, b, expected] of provider(COMPARATOR, name))
      cases.push([String(a), operator, String(b), expected]);
  }
  for (const [a, operator, b, expected] of provider(COMPARATOR, 'compareProvider')) {
    cases.push([String(a), String(operator), String(b), expected]);
  }
  return cases;
}

test('Comparator cases hold, branch pairs excepted (refused instead)', () => {
  const failures: string[] = [];
  let branchPairs = 0;
  for (const [a, operator, b, expected] of comparatorCases()) {
    const holds = HOLDS[operator];
    assert.ok(holds, operator);
    if (isBranchPair(a, b)) {
      branchPairs++;
      assert.throws(
        () => packagist.compare(a, b),
        (error: unknown) => isCustomsError(error, 'INVALID_VERSION'),
      );
      continue;
    }
    if (holds(packagist.compare(a, b)) !== expected)
      failures.push(`${a} ${operator} ${b} should be ${String(expected)}`);
  }
  assert.deepEqual(failures, []);
  assert.equal(branchPairs, 9);
});

test('stabilities order dev < alpha < beta < RC < release < patch, whatever their spelling', () => {
  const ascending = [
    '1.0.0-dev',
    '1.0.0-alpha1',
    '1.0.0a2',
    '1.0.0-beta.1',
    '1.0.0-b2-dev',
    '1.0.0-b2',
    '1.0.0-RC1',
    'v1.0.0-rc.2',
    '1.0.0',
    '1.0.0-p1',
    '1.0.0-pl2',
    '1.0.0.1',
    '1.0.1',
  ];
  for (let i = 1; i < ascending.length; i++) {
    assert.equal(
      packagist.compare(ascending[i - 1] ?? '', ascending[i] ?? ''),
      -1,
      `${ascending[i - 1]} < ${ascending[i]}`,
    );
    assert.equal(packagist.compare(ascending[i] ?? '', ascending[i - 1] ?? ''), 1);
  }
});

test('one version however Composer writes it: v prefix, missing parts, build metadata, case', () => {
  for (const [a, b] of [
    ['v1.0.2', '1.0.2'],
    ['1.0', '1.0.0.0'],
    ['1', 'v1.0.0'],
    ['1.0.0+build.5', '1.0.0'],
    ['1.0.0-BETA2', '1.0.0beta.2'],
    ['1.0.0-stable', '1.0.0'],
  ] as const) {
    assert.equal(packagist.compare(a, b), 0, `${a} = ${b}`);
  }
});

test('numbers compare exactly at any size, where PHP clamps them to 2^63 - 1', () => {
  assert.equal(packagist.compare('1.99999999999999999999.0', '1.99999999999999999998.0'), 1);
  assert.equal(packagist.compare('1.0.9223372036854775808', '1.0.9223372036854775807'), 1);
});

test('a named branch equals only itself; a branch alias is a number', () => {
  assert.equal(packagist.compare('dev-main', 'dev-main'), 0);
  assert.equal(packagist.compare('master', 'dev-master'), 0);
  assert.throws(
    () => schemeForEcosystem('Packagist').compare('dev-main', '1.0.0'),
    (error: unknown) =>
      isCustomsError(error, 'INVALID_VERSION') &&
      error.message ===
        'invalid Packagist version "dev-main": Composer does not order the branch "dev-main" against "1.0.0.0"',
  );
  assert.equal(packagist.compare('2.x-dev', '2.99.0'), 1);
  assert.equal(packagist.compare('2.x-dev', '3.0.0'), -1);
});
