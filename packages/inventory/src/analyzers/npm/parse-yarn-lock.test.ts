import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseProjectManifest } from './parse-package-json.js';
import { parseYarnLock } from './parse-yarn-lock.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/npm/', import.meta.url));
const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const manifest = (path: string) => parseProjectManifest(read(path), path);
const ids = (result: ReturnType<typeof parseYarnLock>) =>
  result.packages.map((p) => `${p.name}@${p.version}`).sort();

function snykIds(path: string): string[] {
  const graph: { pkgs: Array<{ id: string }> } = JSON.parse(read(path));
  return graph.pkgs
    .slice(1)
    .map((pkg) => pkg.id)
    .sort();
}

for (const fixture of [
  'yarn-lock-v1_real_goof',
  'yarn-lock-v1_real_one-dep',
  'yarn-lock-v2_real_resolutions-simple',
]) {
  test(`yarn.lock ${fixture} with its package.json matches Snyk's dep-graph exactly`, () => {
    const result = parseYarnLock(read(`snyk/${fixture}/yarn.lock`), 'yarn.lock', [
      manifest(`snyk/${fixture}/package.json`),
    ]);
    assert.deepEqual(ids(result), snykIds(`snyk/${fixture}/expected.json`));
    assert.deepEqual(result.warnings, []);
  });
}

test('yarn v1 goof: 410 production packages, all 525 with the browserify development tree', () => {
  const lock = read('snyk/yarn-lock-v1_real_goof/yarn.lock');
  const manifests = [manifest('snyk/yarn-lock-v1_real_goof/package.json')];
  const production = ids(parseYarnLock(lock, 'yarn.lock', manifests));
  const all = ids(parseYarnLock(lock, 'yarn.lock', manifests, { includeDev: true }));
  assert.equal(production.length, 410);
  assert.equal(all.length, 525);
  assert.ok(all.includes('browserify@13.3.0') && !production.includes('browserify@13.3.0'));
  // browserify asks for readable-stream ^2.0.2, which production packages need too: kept.
  assert.ok(production.includes('readable-stream@2.3.7'));
});

test('berry resolutions: the overridden descriptor is found by name', () => {
  // debug@4.3.1 asks for ms 2.1.2; package.json `resolutions` forced ms 1.0.0, the only ms block.
  const result = parseYarnLock(read('snyk/yarn-lock-v2_real_resolutions-simple/yarn.lock'), 'yarn.lock', [
    manifest('snyk/yarn-lock-v2_real_resolutions-simple/package.json'),
  ]);
  assert.deepEqual(result.packages, [
    { type: 'npm', name: 'debug', version: '4.3.1', path: 'yarn.lock' },
    { type: 'npm', name: 'ms', version: '1.0.0', path: 'yarn.lock' },
  ]);
});

test('without a package.json every package is kept, with a warning saying why', () => {
  const result = parseYarnLock(read('trivy/yarn_happy.lock'), 'srv/app/yarn.lock', []);
  assert.equal(result.packages.length, 18);
  assert.deepEqual(result.packages[0], {
    type: 'npm',
    name: '@babel/helper-regex',
    version: '7.4.4',
    path: 'srv/app/yarn.lock',
  });
  assert.ok(ids(result).includes('js-tokens@4.0.0'));
  assert.ok(ids(result).includes('lodash@4.17.11'));
  assert.ok(ids(result).includes('ansi-regex@2.1.1') && ids(result).includes('ansi-regex@3.0.0'));
  assert.deepEqual(result.warnings, [
    'srv/app/yarn.lock: no package.json beside it in this layer, so development dependencies cannot be told apart; all packages are reported',
  ]);
});

test('a git dependency is reported under the version its package.json declares', () => {
  // Trivy skips git-sourced blocks; the installed package.json of this package would report the same
  // name and version, so the lockfile reports it too.
  const result = parseYarnLock(read('trivy/yarn_with_git.lock'), 'yarn.lock', [], { includeDev: true });
  assert.deepEqual(ids(result), ['mapbox-gl-feature-drag-and-drop@1.1.1']);
  assert.deepEqual(result.warnings, []);
});

test('yarn v1 aliases install the real package; local folders are the project', () => {
  // Synthetic lockfile built for this test, in yarn 1's format.
  const lock = [
    '# yarn lockfile v1',
    '',
    '"string-width-cjs@npm:string-width@^4.2.0":',
    '  version "4.2.3"',
    '',
    '"my-lib@file:../my-lib":',
    '  version "0.0.1"',
    '',
    'no-version@^1.0.0:',
    '  resolved "https://registry.yarnpkg.com/no-version/-/no-version-1.0.0.tgz"',
    '',
  ].join('\r\n');
  const result = parseYarnLock(lock, 'yarn.lock', [], { includeDev: true });
  assert.deepEqual(ids(result), ['string-width@4.2.3']);
  assert.deepEqual(result.warnings, [
    'yarn.lock: 1 entry have no version and were skipped: no-version@^1.0.0',
  ]);
});
