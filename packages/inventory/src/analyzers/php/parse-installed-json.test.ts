import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parseInstalledJson } from './parse-installed-json.js';

const path = 'var/www/vendor/composer/installed.json';

test("Composer 2 installed.json (Trivy's vendor test data): every installed package", () => {
  const text = readFileSync(
    fileURLToPath(
      new URL(
        '../../../../../test/fixtures/php/trivy-vendor/vendor/composer/installed.json',
        import.meta.url,
      ),
    ),
    'utf8',
  );
  assert.deepEqual(parseInstalledJson(text, path), [
    { type: 'composer', name: 'pear/log', version: '1.13.3', licenses: ['MIT'], path },
    { type: 'composer', name: 'pear/pear_exception', version: 'v1.0.2', licenses: ['BSD-2-Clause'], path },
  ]);
});

test('Composer 1 wrote a bare array (synthetic, same entries)', () => {
  const v1 = JSON.stringify([
    { name: 'monolog/monolog', version: '1.25.1', license: ['MIT'] },
    { name: 'psr/log', version: '1.1.0' },
  ]);
  assert.deepEqual(parseInstalledJson(v1, path), [
    { type: 'composer', name: 'monolog/monolog', version: '1.25.1', licenses: ['MIT'], path },
    { type: 'composer', name: 'psr/log', version: '1.1.0', path },
  ]);
});

test('anything else raises COMPOSER_FILE_INVALID', () => {
  assert.throws(
    () => parseInstalledJson('"x"', path),
    (error) => isCustomsError(error, 'COMPOSER_FILE_INVALID'),
  );
});
