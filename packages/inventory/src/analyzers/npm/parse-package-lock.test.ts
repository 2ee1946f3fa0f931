import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parsePackageLock } from './parse-package-lock.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/npm/', import.meta.url));
const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const ids = (text: string, includeDev = false) =>
  parsePackageLock(text, 'app/package-lock.json', { includeDev }).packages.map(
    (p) => `${p.name}@${p.version}`,
  );

/** Snyk dep-graph goldens: every `pkgs[].id` but the first, which is the project itself. */
function snykIds(path: string): string[] {
  const graph: { pkgs: Array<{ id: string }> } = JSON.parse(read(path));
  return graph.pkgs
    .slice(1)
    .map((pkg) => pkg.id)
    .sort();
}

for (const fixture of [
  'npm-lock-v2_different-versions',
  'npm-lock-v2_nested-bundled-deps',
  'npm-lock-v2_one-dep',
]) {
  test(`package-lock v2 ${fixture} matches Snyk's dep-graph exactly`, () => {
    assert.deepEqual(
      ids(read(`snyk/${fixture}/package-lock.json`)).sort(),
      snykIds(`snyk/${fixture}/expected.json`),
    );
  });
}

test('package-lock v2 with only dev dependencies: none by default, both Snyk variants match', () => {
  const lock = read('snyk/npm-lock-v2_only-dev-deps/package-lock.json');
  assert.deepEqual(ids(lock), snykIds('snyk/npm-lock-v2_only-dev-deps/expected-dev-deps-excluded.json'));
  assert.deepEqual(ids(lock), []);
  assert.deepEqual(
    ids(lock, true),
    snykIds('snyk/npm-lock-v2_only-dev-deps/expected-dev-deps-included.json'),
  );
  assert.deepEqual(ids(lock, true), ['debug@2.6.9', 'ms@2.0.0']);
});

test('package-lock v2 goof: Snyk golden plus four packages npm itself marks as production', () => {
  // Snyk's graph builder does not reach these four; npm's lockfile has them without `dev: true`, so
  // `npm ci --omit=dev` installs them: convert-source-map and source-map are required by nyc (a tap
  // dependency) and resolve to the top-level copies; argparse and ansi-regex are bundled inside nyc.
  const golden = snykIds('snyk/npm-lock-v2_goof/expected.json');
  const found = ids(read('snyk/npm-lock-v2_goof/package-lock.json'));
  assert.equal(golden.length, 443);
  assert.deepEqual(
    found.filter((id) => !golden.includes(id)),
    ['ansi-regex@2.0.0', 'argparse@1.0.7', 'convert-source-map@1.1.3', 'source-map@0.5.7'],
  );
  assert.deepEqual(
    golden.filter((id) => !found.includes(id)),
    [],
  );
  assert.equal(ids(read('snyk/npm-lock-v2_goof/package-lock.json'), true).length, 567);
});

test('package-lock v1 goof matches the production packages of Snyk legacy dep-tree', () => {
  interface Node {
    version?: string;
    dependencies?: Record<string, Node>;
  }
  const tree: Node = JSON.parse(read('snyk/legacy_goof_npm-lock-v1/dep-tree-no-dev-deps.json'));
  const expected = new Set<string>();
  const visit = (node: Node) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      expected.add(`${name}@${child.version}`);
      visit(child);
    }
  };
  visit(tree);
  const found = ids(read('snyk/legacy_goof_npm-lock-v1/package-lock.json'));
  assert.equal(found.length, 438);
  assert.deepEqual(found.sort(), [...expected].sort());
});

test("Trivy's npm integration golden: same packages, dev-only z-lock left out as Trivy does", () => {
  const report: { Results: Array<{ Packages: Array<{ Name: string; Version: string }> }> } = JSON.parse(
    read('trivy-integration/npm/expected.trivy.json.golden'),
  );
  const golden = report.Results.flatMap((result) => result.Packages.map((p) => `${p.Name}@${p.Version}`));
  const lock = read('trivy-integration/npm/input/package-lock.json');
  assert.deepEqual(ids(lock).sort(), golden.sort());
  assert.equal(ids(lock, true).includes('z-lock@1.0.0'), true);
});

test('Trivy parser fixtures v1 and v2 describe the same install: 29 production, 31 with dev', () => {
  for (const file of ['trivy/package-lock_v1.json', 'trivy/package-lock_v2.json']) {
    const production = ids(read(file));
    assert.equal(production.length, 29, file);
    assert.equal(ids(read(file), true).length, 31, file);
    assert.ok(production.includes('@babel/helper-string-parser@7.19.4'));
    assert.ok(production.includes('ms@1.0.0') && production.includes('ms@2.0.0'));
    assert.ok(!production.includes('debug@2.5.2') && !production.includes('ms@0.7.2'));
  }
});

test('package-lock v2 keeps the licenses it records (goof records them for nyc bundled packages)', () => {
  const found = parsePackageLock(
    read('snyk/npm-lock-v2_goof/package-lock.json'),
    'package-lock.json',
  ).packages;
  assert.deepEqual(found.find((p) => p.name === 'write-file-atomic' && p.version === '1.1.4')?.licenses, [
    'ISC',
  ]);
  assert.deepEqual(found.find((p) => p.name === 'arrify')?.licenses, ['MIT']);
  assert.equal(found.find((p) => p.name === 'express')?.licenses, undefined);
});

test('package-lock v3 workspaces: members and links are the app, their dependencies are not', () => {
  assert.deepEqual(ids(read('trivy/package-lock_v3_with_workspace.json')), [
    'debug@2.5.2',
    'debug@2.6.9',
    'ms@0.7.2',
    'ms@2.0.0',
  ]);
});

test('aliases install the real package; non-registry v1 versions are skipped with one warning', () => {
  // Synthetic lockfile built for this test (the fixtures hold no alias or git dependency).
  const lock = JSON.stringify({
    lockfileVersion: 1,
    dependencies: {
      'string-width-cjs': { version: 'npm:string-width@4.2.3' },
      forked: { version: 'github:someone/forked#0123abc' },
      local: { version: 'file:../local' },
    },
  });
  const parsed = parsePackageLock(lock, 'app/package-lock.json');
  assert.deepEqual(parsed.packages, [
    { type: 'npm', name: 'string-width', version: '4.2.3', path: 'app/package-lock.json' },
  ]);
  assert.deepEqual(parsed.warnings, [
    'app/package-lock.json: 2 entries have no registry version and were skipped: forked@github:someone/forked#0123abc, local@file:../local',
  ]);
});

test('v2 aliases name the real package through `name`', () => {
  // Synthetic lockfile built for this test.
  const lock = JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      'node_modules/string-width-cjs': { name: 'string-width', version: '4.2.3' },
    },
  });
  assert.deepEqual(ids(lock), ['string-width@4.2.3']);
});

test('a file that is not JSON throws NPM_FILE_INVALID naming the file', () => {
  assert.throws(
    () => parsePackageLock('{"lockfileVersion": 2, "packages": {', 'app/package-lock.json'),
    (error) => isCustomsError(error, 'NPM_FILE_INVALID') && error.context.path === 'app/package-lock.json',
  );
  assert.throws(
    () => parsePackageLock('[]', 'x/package-lock.json'),
    (error) => isCustomsError(error, 'NPM_FILE_INVALID'),
  );
});
