import assert from 'node:assert/strict';
import { test } from 'node:test';
import semverLibrary from 'semver';
import { isCustomsError } from '@customs/errors';
import { looseSchemeForEcosystem, schemeForEcosystem } from '../ecosystems.js';
import { satisfiesNpmRange, type NpmRangeOptions } from '../npm-range.js';
import { readFixture } from '../testing/vector-file.js';
import { go } from './go.js';
import { semver } from './semver.js';

/** node-semver's options argument as its fixtures encode it (see SOURCES.md). */
function optionsOf(raw: unknown): NpmRangeOptions {
  if (raw === true) return { loose: true };
  if (typeof raw !== 'object' || raw === null) return {};
  const loose: unknown = Reflect.get(raw, 'loose');
  return {
    loose: Boolean(loose) && loose !== '__undefined__',
    includePrerelease: Reflect.get(raw, 'includePrerelease') === true,
  };
}

function casesOf(file: string): unknown[][] {
  const parsed: unknown = JSON.parse(readFixture(file));
  const cases: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'cases') : null;
  assert.ok(Array.isArray(cases) && cases.length > 0);
  return cases.filter((entry): entry is unknown[] => Array.isArray(entry));
}

function schemeFor(options: NpmRangeOptions) {
  return options.loose ? looseSchemeForEcosystem('npm') : schemeForEcosystem('npm');
}

test('node-semver comparisons: the first version is greater', () => {
  for (const [a, b, raw] of casesOf('node-semver-comparisons.json')) {
    const scheme = schemeFor(optionsOf(raw));
    assert.equal(scheme.compare(String(a), String(b)), 1, `${String(a)} > ${String(b)}`);
    assert.equal(scheme.compare(String(b), String(a)), -1, `${String(b)} < ${String(a)}`);
  }
});

test('node-semver equality: the versions are equal', () => {
  for (const [a, b, raw] of casesOf('node-semver-equality.json')) {
    assert.equal(schemeFor(optionsOf(raw)).compare(String(a), String(b)), 0, `${String(a)} = ${String(b)}`);
  }
});

test('node-semver range-include: the version satisfies the range', () => {
  for (const [range, version, raw] of casesOf('node-semver-range-include.json')) {
    assert.equal(
      satisfiesNpmRange(String(version), String(range), optionsOf(raw)),
      true,
      `${String(range)} ∋ ${String(version)}`,
    );
  }
});

test('node-semver range-exclude: no; a version node-semver calls invalid is an error, not a silent no', () => {
  for (const [range, version, raw] of casesOf('node-semver-range-exclude.json')) {
    const options = optionsOf(raw);
    if (semverLibrary.valid(String(version), { loose: options.loose === true }) === null) {
      assert.throws(
        () => satisfiesNpmRange(String(version), String(range), options),
        (error: unknown) => isCustomsError(error, 'INVALID_VERSION'),
      );
    } else {
      assert.equal(
        satisfiesNpmRange(String(version), String(range), options),
        false,
        `${String(range)} ∌ ${String(version)}`,
      );
    }
  }
});

test('an invalid range is an error', () => {
  assert.throws(
    () => satisfiesNpmRange('1.2.3', '>=1 <<2'),
    (error: unknown) => isCustomsError(error, 'INVALID_RANGE'),
  );
});

test('semver keeps numbers exact beyond 2^53, where node-semver gives up', () => {
  assert.equal(semver.compare('9007199254740993.0.0', '9007199254740992.0.0'), 1);
  assert.equal(semver.compare('1.0.0-9007199254740993', '1.0.0-9007199254740992'), 1);
  assert.equal(semver.isValid('1.2'), false);
  assert.equal(semver.isValid('01.2.3'), false);
});

test('semver loose keeps numbers exact beyond 2^53 too, where node-semver refuses them', () => {
  const loose = looseSchemeForEcosystem('npm');
  assert.equal(loose.compare('9007199254740993.0.0', '9007199254740992.0.0'), 1);
  assert.equal(loose.compare('=v 1.0.99999999999999999999', '1.0.99999999999999999998'), 1);
  assert.equal(loose.compare('1.99999999999999999999.0beta', '1.99999999999999999999.0-beta'), 0);
  assert.equal(loose.compare('1.0.0-99999999999999999999', '1.0.0-99999999999999999998'), 1);
  assert.equal(loose.isValid('99999999999999999999.0'), false);
  assert.equal(
    schemeForEcosystem('crates.io').compare('18446744073709551616.0.0', '18446744073709551615.0.0'),
    1,
  );
});

test('go: v prefix optional, pseudo-versions are prereleases, +incompatible does not count', () => {
  assert.equal(go.compare('v1.2.3', '1.2.3'), 0);
  assert.equal(go.compare('v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20200101000000-aaaaaaaaaaaa'), -1);
  assert.equal(go.compare('v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.3'), 1);
  assert.equal(go.compare('v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.4'), -1);
  assert.equal(go.compare('v2.0.0+incompatible', 'v2.0.0'), 0);
  assert.equal(go.compare('v1.2', 'v1.2.0'), 0);
  assert.equal(go.isValid('v1.2.3.4'), false);
});
