import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parseInstalledPackageJson, parseProjectManifest } from './parse-package-json.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/npm/', import.meta.url));
const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');

test('an installed package.json gives its name, version and license', () => {
  const path = 'app/node_modules/jquery/package.json';
  assert.deepEqual(
    parseInstalledPackageJson(read('trivy-integration/npm/input/node_modules/jquery/package.json'), path),
    {
      type: 'npm',
      name: 'jquery',
      version: '3.3.9',
      path,
      licenses: ['MIT'],
    },
  );
  const lodash =
    'trivy-integration/pnpm/input/node_modules/.pnpm/lodash@4.17.4/node_modules/lodash/package.json';
  assert.deepEqual(parseInstalledPackageJson(read(lodash), lodash)?.licenses, ['MIT']);
});

test('license objects and the legacy licenses array are read; a manifest without name or version is none', () => {
  // Synthetic manifests in the shapes npm has accepted over time.
  const at = 'node_modules/x/package.json';
  assert.deepEqual(
    parseInstalledPackageJson('{"name":"a","version":"1.0.0","license":{"type":"ISC"}}', at)?.licenses,
    ['ISC'],
  );
  assert.deepEqual(
    parseInstalledPackageJson(
      '{"name":"a","version":"1.0.0","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}',
      at,
    )?.licenses,
    ['MIT', 'Apache-2.0'],
  );
  assert.equal(parseInstalledPackageJson('{"name":"a","version":"1.0.0"}', at)?.licenses, undefined);
  assert.equal(parseInstalledPackageJson('{"type":"module"}', at), null);
  assert.equal(parseInstalledPackageJson('{"name":"a","version":""}', at), null);
  assert.throws(
    () => parseInstalledPackageJson('{"name":', at),
    (e) => isCustomsError(e, 'NPM_FILE_INVALID'),
  );
});

test('a project manifest splits production from development and lists workspaces', () => {
  const goof = parseProjectManifest(read('snyk/yarn-lock-v1_real_goof/package.json'), 'package.json');
  assert.equal(goof.production.length, 26);
  assert.deepEqual(goof.production[0], ['body-parser', '1.9.0']);
  assert.deepEqual(goof.development, [['browserify', '^13.1.1']]);
  assert.deepEqual(goof.workspaces, []);
  const monorepo = parseProjectManifest(read('trivy-yarn-monorepo/package.json'), 'package.json');
  assert.deepEqual(monorepo.workspaces, ['packages/**', 'c']);
  assert.deepEqual(monorepo.production, []);
});
