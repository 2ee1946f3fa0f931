import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EntryInfo } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { npmInstalled, npmLockfile } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/npm/', import.meta.url));
const FILE: EntryInfo = { size: 100, mode: 0o644, kind: 'file' };
const context = { isLanguagePath: () => true };

/** A fixture folder placed at `root` in an image, keeping only what the analyzer asks for. */
function layer(fixture: string, root: string, wants: (path: string, info: EntryInfo) => boolean): FileSet {
  const base = path.join(FIXTURES, fixture);
  const files = readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(base, path.join(entry.parentPath, entry.name)))
    .map((relative) => ({
      path: `${root}/${relative}`,
      data: readFileSync(path.join(base, relative)),
      mode: 0o644,
    }))
    .filter((file) => wants(file.path, FILE));
  return new FileSet(files);
}

test('npm-installed asks only for package manifests directly in a node_modules folder', () => {
  const wanted = [
    'usr/src/app/node_modules/express/package.json',
    'usr/src/app/node_modules/@babel/core/package.json',
    'usr/src/app/node_modules/a/node_modules/b/package.json',
    'usr/local/lib/node_modules/npm/package.json',
    'app/node_modules/.pnpm/lodash@4.17.4/node_modules/lodash/package.json',
    'node_modules/x/package.json',
  ];
  const unwanted = [
    'usr/src/app/package.json',
    'usr/src/app/node_modules/express/lib/package.json',
    'usr/src/app/node_modules/express/test/fixtures/package.json',
    'usr/src/app/node_modules/@babel/package.json',
    'usr/src/app/node_modules/.bin/package.json',
    'usr/src/app/node_modules/express/package.json.bak',
    'usr/src/app/node_modules/express/index.js',
    'usr/share/nodejs/acorn/package.json',
  ];
  for (const wantedPath of wanted) assert.equal(npmInstalled.required(wantedPath, FILE), true, wantedPath);
  for (const unwantedPath of unwanted)
    assert.equal(npmInstalled.required(unwantedPath, FILE), false, unwantedPath);
  assert.equal(npmInstalled.required('app/node_modules/x/package.json', { ...FILE, kind: 'symlink' }), false);
});

test('npm-lockfile asks for lockfiles and project manifests outside node_modules only', () => {
  const wanted = [
    'usr/src/app/package-lock.json',
    'usr/src/app/npm-shrinkwrap.json',
    'srv/yarn.lock',
    'pnpm-lock.yaml',
    'usr/src/app/package.json',
    'usr/src/app/packages/web/package.json',
  ];
  const unwanted = [
    'usr/src/app/node_modules/some-lib/yarn.lock',
    'usr/src/app/node_modules/some-lib/package-lock.json',
    'usr/src/app/node_modules/.package-lock.json',
    'usr/src/app/node_modules/some-lib/package.json',
    'usr/src/app/yarn.lock.orig',
    'usr/src/app/Pipfile.lock',
  ];
  for (const wantedPath of wanted) assert.equal(npmLockfile.required(wantedPath, FILE), true, wantedPath);
  for (const unwantedPath of unwanted)
    assert.equal(npmLockfile.required(unwantedPath, FILE), false, unwantedPath);
});

test('npm-lockfile on a yarn berry monorepo drops what only development needs, workspaces included', async () => {
  const files = layer('trivy-yarn-monorepo', 'srv/app', npmLockfile.required);
  assert.equal(files.size, 6);
  const result = await npmLockfile.analyze(files, context);
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version}`),
    [
      'is-number@6.0.0', // package2 → is-odd
      'is-number@7.0.0', // c
      'is-odd@3.0.1',
      'js-tokens@4.0.0', // package1 → scheduler → loose-envify
      'js-tokens@8.0.1', // util1
      'loose-envify@1.4.0',
      'scheduler@0.23.0',
    ],
  );
  // prettier (root), prop-types (util1) and what only prop-types needs are development-only.
  assert.ok(result.packages.every((p) => p.path === 'srv/app/yarn.lock'));
  assert.deepEqual(result.warnings, []);
});

test('npm-lockfile reads every lockfile of the layer and turns a broken one into a warning', async () => {
  const files = new FileSet([
    {
      path: 'a/package-lock.json',
      data: readFileSync(FIXTURES + 'trivy/package-lock_v3_with_workspace.json'),
      mode: 0o644,
    },
    {
      path: 'b/pnpm-lock.yaml',
      data: readFileSync(FIXTURES + 'trivy-integration/pnpm/input/pnpm-lock.yaml'),
      mode: 0o644,
    },
    { path: 'c/package-lock.json', data: Buffer.from('{"lockfileVersion": 3, "packages": {'), mode: 0o644 },
    { path: 'd/package.json', data: Buffer.from('not json'), mode: 0o644 },
  ]);
  const result = await npmLockfile.analyze(files, context);
  assert.deepEqual(
    result.packages.map((p) => `${p.path}:${p.name}@${p.version}`),
    [
      'a/package-lock.json:debug@2.5.2',
      'a/package-lock.json:debug@2.6.9',
      'a/package-lock.json:ms@0.7.2',
      'a/package-lock.json:ms@2.0.0',
      'b/pnpm-lock.yaml:jquery@3.3.9',
      'b/pnpm-lock.yaml:lodash@4.17.4',
    ],
  );
  // d/package.json is not read: no yarn.lock beside it needs it.
  assert.equal(result.warnings?.length, 1);
  assert.match(
    result.warnings?.[0] ?? '',
    /^file c\/package-lock\.json: cannot read c\/package-lock\.json: not valid JSON \(/,
  );
});

test('npm-installed reports each node_modules manifest with its license', async () => {
  const files = layer('trivy-integration/npm/input', 'usr/src/app', npmInstalled.required);
  const result = await npmInstalled.analyze(files, context);
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version} ${p.licenses?.join(',') ?? '-'}`),
    // In path order: node_modules/react-is/ sorts before node_modules/react/.
    [
      'jquery@3.3.9 MIT',
      'promise@8.0.3 MIT',
      'react-is@16.8.6 MIT',
      'react@16.8.6 MIT',
      'redux@4.0.1 MIT',
      'z-lock@1.0.0 MIT',
    ],
  );
  assert.equal(result.packages[0]?.path, 'usr/src/app/node_modules/jquery/package.json');
  assert.deepEqual(result.warnings, []);
});
