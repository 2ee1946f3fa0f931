import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parsePnpmLock } from './parse-pnpm-lock.js';
import { parseDependencyPath } from './pnpm-dep-path.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/npm/', import.meta.url));
const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const ids = (text: string, includeDev = false) =>
  parsePnpmLock(text, 'pnpm-lock.yaml', { includeDev })
    .packages.map((p) => `${p.name}@${p.version}`)
    .sort();

function snykIds(path: string): string[] {
  const graph: { pkgs: Array<{ id: string }> } = JSON.parse(read(path));
  return graph.pkgs
    .slice(1)
    .map((pkg) => pkg.id)
    .sort();
}

for (const fixture of ['pnpm-lock-v5_one-dep', 'pnpm-lock-v6_different-versions']) {
  test(`pnpm ${fixture} matches Snyk's dep-graph exactly`, () => {
    assert.deepEqual(ids(read(`snyk/${fixture}/pnpm-lock.yaml`)), snykIds(`snyk/${fixture}/expected.json`));
  });
}

test('pnpm v9 goof: Snyk golden plus the packages only optional dependencies reach', () => {
  // Snyk's v9 walk does not follow a snapshot's `optionalDependencies`; pnpm installs them (optional
  // only means a failed build is tolerated), so these 26, reached through request@2.42.0 and
  // mongodb's kerberos, are in the image.
  const golden = snykIds('snyk/pnpm-lock-v9_goof/expected.json');
  const found = ids(read('snyk/pnpm-lock-v9_goof/pnpm-lock.yaml'));
  assert.equal(golden.length, 261);
  assert.deepEqual(
    golden.filter((id) => !found.includes(id)),
    [],
  );
  assert.deepEqual(
    found.filter((id) => !golden.includes(id)),
    [
      'asn1@0.1.11',
      'assert-plus@0.1.5',
      'async@0.9.2',
      'aws-sign2@0.5.0',
      'boom@0.4.2',
      'combined-stream@0.0.7',
      'cryptiles@0.2.2',
      'ctype@0.5.3',
      'delayed-stream@0.0.5',
      'form-data@0.1.4',
      'graceful-fs@1.2.3',
      'hawk@1.1.1',
      'hoek@0.9.1',
      'http-signature@0.10.1',
      'kerberos@0.0.24',
      'nan@2.10.0',
      'oauth-sign@0.4.0',
      'psl@1.9.0',
      'punycode@2.3.1',
      'querystringify@2.2.0',
      'readable-stream@1.1.14',
      'requires-port@1.0.0',
      'sntp@0.2.4',
      'tough-cookie@4.1.4',
      'universalify@0.2.0',
      'url-parse@1.5.10',
    ],
  );
  assert.ok(!found.includes('browserify@13.3.0'));
  assert.ok(ids(read('snyk/pnpm-lock-v9_goof/pnpm-lock.yaml'), true).includes('browserify@13.3.0'));
});

test("Trivy's pnpm integration golden matches", () => {
  const report: { Results: Array<{ Packages: Array<{ Name: string; Version: string }> }> } = JSON.parse(
    read('trivy-integration/pnpm/expected.trivy.json.golden'),
  );
  const golden = report.Results.flatMap((result) => result.Packages.map((p) => `${p.Name}@${p.Version}`));
  assert.deepEqual(ids(read('trivy-integration/pnpm/input/pnpm-lock.yaml')), golden.sort());
});

test('pnpm v6 with dev flags: 6 production packages of 85', () => {
  const lock = read('trivy/pnpm-lock_v6_with_dev.yaml');
  assert.deepEqual(ids(lock), [
    '@babel/runtime@7.22.3',
    'js-tokens@4.0.0',
    'loose-envify@1.4.0',
    'react@18.1.0',
    'redux@4.2.0',
    'regenerator-runtime@0.13.11',
  ]);
  const all = ids(lock, true);
  assert.equal(all.length, 85);
  // `/debug@4.3.4(supports-color@8.1.1)`: the peer suffix is not part of the version.
  assert.ok(all.includes('debug@4.3.4') && all.includes('mocha@10.0.0'));
});

test('pnpm v9: walks importers and snapshots; tarballs keep their version, local folders are the project', () => {
  const lock = read('trivy/pnpm-lock_v9.yaml');
  assert.deepEqual(ids(lock), [
    '@babel/helper-string-parser@7.24.1',
    'asap@2.0.6', // optional dependency of promise
    'asynckit@0.4.0', // tarball, needed by the local package1
    'debug@4.3.4',
    'debug@4.3.5', // tarball
    'ee-first@1.1.1',
    'encodeurl@1.0.2',
    'escape-html@1.0.3',
    'finalhandler@1.1.1',
    'is-negative@2.0.1', // tarball
    'ms@2.0.0', // a devDependency, but debug@4.3.4 needs it too
    'ms@2.1.2',
    'on-finished@2.3.0',
    'parseurl@1.3.3',
    'promise@8.1.0',
    'sleep-utils@1.0.3', // from the second importer, subdir
    'statuses@1.4.0',
    'unpipe@1.0.0',
  ]);
  const all = ids(lock, true);
  assert.equal(all.length, 20);
  assert.ok(all.includes('jquery@3.6.0') && all.includes('await-sleep@0.0.1'));
  // package1@file:package1 (a directory) and lodash@file:foo/bar/lodash.tgz are local files.
  assert.ok(!all.some((id) => id.startsWith('package1@') || id.startsWith('lodash@')));
});

test('dependency paths of every lockfile generation', () => {
  assert.deepEqual(parseDependencyPath('/lodash/4.17.10', 5.4), { name: 'lodash', version: '4.17.10' });
  assert.deepEqual(parseDependencyPath('registry.npmjs.org/@babel/generator/7.21.9', 5.4), {
    name: '@babel/generator',
    version: '7.21.9',
  });
  assert.deepEqual(parseDependencyPath('/@babel/plugin-x/7.21.5_@babel+core@7.21.8', 5.4), {
    name: '@babel/plugin-x',
    version: '7.21.5',
  });
  assert.deepEqual(parseDependencyPath('/@babel/plugin-x@7.21.5(@babel/core@7.20.7)', 6), {
    name: '@babel/plugin-x',
    version: '7.21.5',
  });
  assert.deepEqual(parseDependencyPath('ms@2.1.3', 9), { name: 'ms', version: '2.1.3' });
  assert.equal(parseDependencyPath('debug@https://github.com/debug-js/debug/tarball/4.3.5', 9), null);
  assert.equal(parseDependencyPath('github.com/user/repo/0123abc', 5.4), null);
});

test('a v9 lockfile preceded by pnpm own tool lockfile is read from its last document', () => {
  // Synthetic two-document lockfile in the shape pnpm 10 writes when it manages its own version.
  const lock = [
    '---',
    "lockfileVersion: '9.0'",
    'importers:',
    '  .:',
    '    packageManagerDependencies:',
    '      pnpm: {specifier: ^10.0.0, version: 10.0.0}',
    'packages:',
    '  pnpm@10.0.0: {resolution: {integrity: sha512-x}}',
    'snapshots:',
    '  pnpm@10.0.0: {}',
    '---',
    "lockfileVersion: '9.0'",
    'importers:',
    '  .:',
    '    dependencies:',
    '      left-pad: {specifier: 1.3.0, version: 1.3.0}',
    'packages:',
    '  left-pad@1.3.0: {resolution: {integrity: sha512-y}}',
    'snapshots:',
    '  left-pad@1.3.0: {}',
  ].join('\n');
  assert.deepEqual(ids(lock), ['left-pad@1.3.0']);
});

test('v9 tarball URLs keep their underscores when matched to snapshots', () => {
  // Synthetic v9 lock: a development-only dependency whose tarball URL holds `_`.
  const lock = [
    "lockfileVersion: '9.0'",
    'importers:',
    '  .:',
    '    dependencies:',
    '      left-pad: {specifier: 1.3.0, version: 1.3.0}',
    '    devDependencies:',
    '      my_tool: {specifier: https://example.org/my_tool/my_tool-1.0.0.tgz, version: https://example.org/my_tool/my_tool-1.0.0.tgz}',
    'packages:',
    '  left-pad@1.3.0: {resolution: {integrity: sha512-y}}',
    '  my_tool@https://example.org/my_tool/my_tool-1.0.0.tgz: {resolution: {tarball: https://example.org/my_tool/my_tool-1.0.0.tgz}, version: 1.0.0}',
    'snapshots:',
    '  left-pad@1.3.0: {}',
    '  my_tool@https://example.org/my_tool/my_tool-1.0.0.tgz: {}',
  ].join('\n');
  assert.deepEqual(ids(lock), ['left-pad@1.3.0']);
  assert.deepEqual(ids(lock, true), ['left-pad@1.3.0', 'my_tool@1.0.0']);
});

test('a broken or version-less file throws NPM_FILE_INVALID', () => {
  assert.throws(
    () => parsePnpmLock('packages: [unclosed', 'a/pnpm-lock.yaml'),
    (e) => isCustomsError(e, 'NPM_FILE_INVALID'),
  );
  assert.throws(
    () => parsePnpmLock('packages: {}', 'a/pnpm-lock.yaml'),
    (e) => isCustomsError(e, 'NPM_FILE_INVALID'),
  );
});
