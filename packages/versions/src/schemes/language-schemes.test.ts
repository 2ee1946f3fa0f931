import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gem } from './gem.js';
import { maven } from './maven.js';
import { nuget } from './nuget.js';
import { normalizePypiName, pep440 } from './pep440.js';

test('pep440: dev < pre < final < post, local after public, legacy below all', () => {
  const ordered = ['1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0+local.1', '1.0.post1', '1.1'];
  for (let i = 1; i < ordered.length; i++)
    assert.equal(pep440.compare(ordered[i - 1] ?? '', ordered[i] ?? ''), -1);
  assert.equal(pep440.compare('1!0.1', '2.0'), 1, 'epoch wins');
  assert.equal(pep440.compare('1.0', 'v1.0.0'), 0);
  assert.equal(pep440.compare('2013-01-21T20:33:09+0100', '0.0.1'), -1, 'a legacy version sorts first');
  assert.equal(pep440.isValid('2013-01-21T20:33:09+0100'), false);
  assert.equal(pep440.isValid('1.0.post1'), true);
  assert.equal(pep440.isValid(''), false);
});

test('PEP 503 name normalisation', () => {
  assert.equal(normalizePypiName('Django_REST.framework'), 'django-rest-framework');
  assert.equal(normalizePypiName('a__-.b'), 'a-b');
});

test('maven: qualifiers, aliases and padding', () => {
  const ordered = [
    '1-alpha-1',
    '1-beta-1',
    '1-milestone-1',
    '1-rc-1',
    '1-SNAPSHOT',
    '1',
    '1-sp-1',
    '1-foo',
    '1.0.1',
  ];
  for (let i = 1; i < ordered.length; i++)
    assert.equal(maven.compare(ordered[i - 1] ?? '', ordered[i] ?? ''), -1);
  assert.equal(maven.compare('1.0.0', '1'), 0);
  assert.equal(maven.compare('1-ga', '1-final'), 0);
  assert.equal(maven.compare('1.0-cr1', '1.0-rc1'), 0);
  assert.equal(maven.compare('1a1', '1-alpha-1'), 0);
  assert.equal(maven.isValid(''), false);
});

test('maven: ga, final and release are the empty qualifier at every hyphen (1-1 = 1-ga-1)', () => {
  for (const [a, b] of [
    ['1-1', '1-ga-1'],
    ['1-1', '1-final-1'],
    ['1-1', '1-release-1'],
    ['1-1', '1-GA-1'],
    ['1-1', '1-0-1'],
    ['1-alpha-1', '1-alpha-ga-1'],
    ['1.1.1', '1.1.1-final'],
    ['1-release', '1-0'],
  ] as const) {
    assert.equal(maven.compare(a, b), 0, `${a} = ${b}`);
    assert.equal(maven.compare(b, a), 0, `${b} = ${a}`);
  }
  // The specification's neighbours: sp is a real qualifier, above the release, so its section stays.
  assert.equal(maven.compare('1-sp-1', '1-ga-1'), -1);
  assert.equal(maven.compare('1-sp.1', '1-ga.1'), 1);
  assert.equal(maven.compare('1-ga-1', '1-2'), -1);
  assert.equal(maven.compare('1-ga-1', '1'), 1);
});

test('gem: letters make a prerelease; trailing zeros do not count', () => {
  assert.equal(gem.compare('1.0.a', '1.0'), -1);
  assert.equal(gem.compare('1.0.0', '1'), 0);
  assert.equal(gem.compare('1.0-rc1', '1.0.pre.rc1'), 0);
  assert.equal(gem.compare('1.10', '1.9'), 1);
  assert.equal(gem.isValid('1beta'), false, 'Gem::Version refuses it, though it still orders');
  assert.equal(gem.isValid('a1'), false);
});

test('nuget: four parts, case-insensitive prerelease, metadata ignored', () => {
  assert.equal(nuget.compare('1.0', '1.0.0.0'), 0);
  assert.equal(nuget.compare('1.0.0.1', '1.0.0'), 1);
  assert.equal(nuget.compare('1.0.0-ALPHA', '1.0.0-alpha'), 0);
  assert.equal(nuget.compare('1.0.0-alpha.2', '1.0.0-alpha.10'), -1);
  assert.equal(nuget.compare('1.0.0+a', '1.0.0+b'), 0);
  assert.equal(nuget.isValid('v1.0.0'), false);
  assert.equal(nuget.isValid('1.0.0.0.0'), false);
});
