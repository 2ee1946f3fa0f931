import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parseComposerLock } from './parse-composer-lock.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/php/${name}`, import.meta.url)), 'utf8');

test('Trivy composer golden: exactly the packages Trivy reports, with their licenses', () => {
  const golden = JSON.parse(fixture('trivy-composer/expected.trivy.json.golden')) as {
    Results: Array<{ Packages: Array<{ Name: string; Version: string; Licenses?: string[] }> }>;
  };
  const expected = golden.Results.flatMap((result) => result.Packages).map((p) => ({
    type: 'composer',
    name: p.Name,
    version: p.Version,
    licenses: p.Licenses,
    path: 'srv/app/composer.lock',
  }));
  assert.equal(expected.length, 2);
  assert.deepEqual(
    parseComposerLock(fixture('trivy-composer/composer.lock'), 'srv/app/composer.lock'),
    expected,
  );
});

test('packages-dev, platform entries and malformed entries are left out; versions kept as written (synthetic)', () => {
  const lock = JSON.stringify({
    packages: [
      { name: 'symfony/http-kernel', version: 'v5.4.20', license: 'MIT' },
      { name: 'php', version: '8.1' },
      { name: 'acme/no-version' },
      'garbage',
    ],
    'packages-dev': [{ name: 'phpunit/phpunit', version: '9.5.0' }],
  });
  assert.deepEqual(parseComposerLock(lock, 'composer.lock'), [
    {
      type: 'composer',
      name: 'symfony/http-kernel',
      version: 'v5.4.20',
      licenses: ['MIT'],
      path: 'composer.lock',
    },
  ]);
});

test('invalid JSON or a missing packages list raises COMPOSER_FILE_INVALID', () => {
  for (const text of ['{', '{"content-hash": "x"}']) {
    assert.throws(
      () => parseComposerLock(text, 'composer.lock'),
      (error) => isCustomsError(error, 'COMPOSER_FILE_INVALID'),
    );
  }
});
