import assert from 'node:assert/strict';
import test from 'node:test';
import type { AnalyzedPackage, LayerAnalysis } from '../layer-analysis.js';
import { assembleImage } from './assemble-image.js';
import type { StackedLayer } from './stacked-layer.js';

// Synthetic layer analyses: the shapes analyzers produce, with made-up digests.
const STATUS = 'var/lib/dpkg/status';

function deb(name: string, version: string, path = STATUS): AnalyzedPackage {
  return { analyzer: 'dpkg', type: 'deb', name, version, arch: 'amd64', path, source: null };
}

function layer(digest: string, analysis: Partial<LayerAnalysis>): StackedLayer {
  return {
    digest,
    createdBy: `step ${digest}`,
    analysis: {
      packages: [],
      distro: null,
      ownedFiles: [],
      whiteouts: [],
      opaqueDirs: [],
      files: [],
      warnings: [],
      unread: [],
      ...analysis,
    },
  };
}

const summary = (inventory: ReturnType<typeof assembleImage>) =>
  inventory.packages.map((pkg) => `${pkg.name}@${pkg.version}:${pkg.layer}`);

test('a package database rewritten by each layer attributes each package to the layer that introduced it', () => {
  const inventory = assembleImage([
    layer('L1', { packages: [deb('libc6', '2.36'), deb('bash', '5.2')], files: [STATUS] }),
    layer('L2', {
      packages: [deb('libc6', '2.36'), deb('bash', '5.2'), deb('curl', '7.88')],
      files: [STATUS],
    }),
    layer('L3', {
      packages: [deb('libc6', '2.36'), deb('bash', '5.2.1'), deb('curl', '7.88')],
      files: [STATUS],
    }),
  ]);
  assert.deepEqual(summary(inventory), ['bash@5.2.1:L3', 'curl@7.88:L2', 'libc6@2.36:L1']);
});

test('a package removed by a later database is not reported from the earlier one', () => {
  const inventory = assembleImage([
    layer('L1', { packages: [deb('libc6', '2.36'), deb('curl', '7.88')], files: [STATUS] }),
    layer('L2', { packages: [deb('libc6', '2.36')], files: [STATUS] }),
  ]);
  assert.deepEqual(summary(inventory), ['libc6@2.36:L1']);
});

test('a database emptied by a later layer hides everything below', () => {
  const inventory = assembleImage([
    layer('L1', { packages: [deb('curl', '7.88')], files: [STATUS] }),
    layer('L2', { files: [STATUS] }),
  ]);
  assert.deepEqual(summary(inventory), []);
});

test('a whiteout of the file, or of a directory above it, deletes it', () => {
  const lower = layer('L1', { packages: [deb('curl', '7.88')], files: [STATUS] });
  assert.deepEqual(summary(assembleImage([lower, layer('L2', { whiteouts: [STATUS] })])), []);
  assert.deepEqual(summary(assembleImage([lower, layer('L2', { whiteouts: ['var/lib/dpkg'] })])), []);
  assert.deepEqual(summary(assembleImage([lower, layer('L2', { whiteouts: ['var/lib/dp'] })])), [
    'curl@7.88:L1',
  ]);
});

test('an opaque directory hides lower contents but not its own', () => {
  const lower = layer('L1', { packages: [deb('curl', '7.88')], files: [STATUS] });
  assert.deepEqual(summary(assembleImage([lower, layer('L2', { opaqueDirs: ['var/lib'] })])), []);
  const readded = layer('L2', { opaqueDirs: ['var/lib'], packages: [deb('curl', '7.88')], files: [STATUS] });
  assert.deepEqual(summary(assembleImage([lower, readded])), ['curl@7.88:L2']);
  assert.deepEqual(summary(assembleImage([lower, layer('L2', { opaqueDirs: ['var/libx'] })])), [
    'curl@7.88:L1',
  ]);
});

test('a file deleted and added again is new in the layer that added it back', () => {
  const inventory = assembleImage([
    layer('L1', { packages: [deb('curl', '7.88')], files: [STATUS] }),
    layer('L2', { whiteouts: [STATUS] }),
    layer('L3', { packages: [deb('curl', '7.88')], files: [STATUS] }),
  ]);
  assert.deepEqual(summary(inventory), ['curl@7.88:L3']);
});

test('per-file databases (status.d, node_modules) stack file by file', () => {
  const inventory = assembleImage([
    layer('L1', {
      packages: [deb('a', '1', 'var/lib/dpkg/status.d/a'), deb('b', '1', 'var/lib/dpkg/status.d/b')],
    }),
    layer('L2', { packages: [deb('b', '2', 'var/lib/dpkg/status.d/b')] }),
  ]);
  assert.deepEqual(summary(inventory), ['a@1:L1', 'b@2:L2']);
});

test('language packages name the OS package that owns their file, if that package is still installed', () => {
  const metadata = 'usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO';
  const urllib3: AnalyzedPackage = {
    analyzer: 'python',
    type: 'pypi',
    name: 'urllib3',
    version: '1.26.12',
    path: metadata,
  };
  const venvPip: AnalyzedPackage = {
    analyzer: 'python',
    type: 'pypi',
    name: 'pip',
    version: '23.0.1',
    path: 'opt/venv/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA',
  };
  const owner = { type: 'deb' as const, name: 'python3-urllib3', version: '1.26.12-1', arch: 'all' };
  const base = layer('L1', {
    distro: { id: 'debian', versionId: '12' },
    packages: [{ ...deb('python3-urllib3', '1.26.12-1'), arch: 'all' }, urllib3, venvPip],
    ownedFiles: [{ owner, paths: [metadata] }],
    files: [STATUS],
  });
  const inventory = assembleImage([base]);
  const byName = new Map(inventory.packages.map((pkg) => [pkg.name, pkg]));
  assert.equal(
    byName.get('urllib3')?.ownedBy,
    'pkg:deb/debian/python3-urllib3@1.26.12-1?arch=all&distro=debian-12',
  );
  assert.equal(byName.get('pip')?.ownedBy, null);
  assert.equal(byName.get('python3-urllib3')?.ownedBy, null);

  const purged = assembleImage([base, layer('L2', { packages: [], files: [STATUS] })]);
  assert.equal(purged.packages.find((pkg) => pkg.name === 'urllib3')?.ownedBy, null);
});

test('a lockfile entry gives way to the same package installed beneath it', () => {
  const npm = (name: string, version: string, path: string): AnalyzedPackage => ({
    analyzer: 'npm',
    type: 'npm',
    name,
    version,
    path,
  });
  const inventory = assembleImage([
    layer('L1', {
      packages: [
        npm('lodash', '4.17.15', 'app/package-lock.json'),
        npm('left-pad', '1.0.0', 'app/package-lock.json'),
        npm('lodash', '4.17.15', 'app/node_modules/lodash/package.json'),
        npm('lodash', '4.17.15', 'other/package-lock.json'),
      ],
    }),
  ]);
  assert.deepEqual(
    inventory.packages.map((pkg) => `${pkg.name}:${pkg.path}`),
    [
      'left-pad:app/package-lock.json',
      'lodash:app/node_modules/lodash/package.json',
      'lodash:other/package-lock.json',
    ],
  );
});

test('the topmost layer that says which distro this is wins, and purls follow it', () => {
  const inventory = assembleImage([
    layer('L1', {
      distro: { id: 'debian', versionId: '11' },
      packages: [deb('bash', '5.1')],
      files: [STATUS],
    }),
    layer('L2', { distro: { id: 'debian', versionId: '12' } }),
  ]);
  assert.deepEqual(inventory.distro, { id: 'debian', versionId: '12' });
  assert.equal(inventory.packages[0]?.purl, 'pkg:deb/debian/bash@5.1?arch=amd64&distro=debian-12');
  assert.deepEqual(inventory.layers, [
    { digest: 'L1', createdBy: 'step L1' },
    { digest: 'L2', createdBy: 'step L2' },
  ]);
});

const DEBIAN = { id: 'debian', versionId: '12' };
const tooBig = (path: string) => ({
  path,
  code: 'FILE_TOO_LARGE' as const,
  reason: `${path}: skipped, 1073741824 bytes is more than the 67108864 bytes the dpkg analyzer reads`,
});

test('a package database an upper layer replaced with one nobody could read hides the old one and makes the image incomplete', () => {
  const inventory = assembleImage([
    layer('L1', { distro: DEBIAN, packages: [deb('bash', '5.2'), deb('curl', '7.88')], files: [STATUS] }),
    layer('L2', { unread: [tooBig(STATUS)] }),
  ]);
  assert.deepEqual(inventory.packages, [], 'the packages of L1 are not what the image holds any more');
  assert.deepEqual(inventory.incomplete, [{ layer: 'L2', ...tooBig(STATUS) }]);
});

test('an unread database a later layer replaced is only a warning; one said twice is said once', () => {
  const parseFailure = {
    path: 'app/package-lock.json',
    code: 'NPM_FILE_INVALID' as const,
    reason: 'file app/package-lock.json: cannot read app/package-lock.json: not JSON',
  };
  const inventory = assembleImage([
    layer('L1', { distro: DEBIAN, unread: [tooBig(STATUS)] }),
    layer('L2', { packages: [deb('bash', '5.2')], files: [STATUS] }),
    layer('L3', { unread: [parseFailure], warnings: [parseFailure.reason, 'something else'] }),
  ]);
  assert.deepEqual(summary(inventory), ['bash@5.2:L2']);
  assert.deepEqual(inventory.incomplete, [{ layer: 'L3', ...parseFailure }]);
  assert.deepEqual(inventory.warnings, [
    `${tooBig(STATUS).reason} (replaced by a later layer)`,
    'something else',
  ]);
});

test('OS packages with no distribution to judge them by make the image incomplete, named by their database', () => {
  const layers = [
    layer('L1', { packages: [deb('bash', '5.2'), deb('curl', '7.88')], files: [STATUS] }),
    layer('L2', {
      packages: [
        { analyzer: 'npm', type: 'npm', name: 'lodash', version: '4.17.15', path: 'app/package-lock.json' },
      ],
    }),
  ];
  assert.deepEqual(assembleImage(layers).incomplete, [
    {
      layer: 'L1',
      path: STATUS,
      code: 'OS_UNIDENTIFIED',
      reason:
        'var/lib/dpkg/status: 2 deb packages, but no os-release file says which distribution they belong to, so no advisory can judge them',
    },
  ]);
  const identified = assembleImage([...layers, layer('L3', { distro: DEBIAN })]);
  assert.deepEqual(identified.incomplete, []);
  const languageOnly = assembleImage(layers.slice(1));
  assert.deepEqual(languageOnly.incomplete, [], 'no OS packages: nothing needs a distribution');
});
