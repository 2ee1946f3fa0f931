import assert from 'node:assert/strict';
import test from 'node:test';
import { parseModInfo } from './mod-info.js';

test('parses main module, deps with replacements and quoted build settings', () => {
  const info = parseModInfo(
    [
      'path\texample.com/app/cmd/app',
      'mod\texample.com/app\t(devel)\t',
      'dep\tgithub.com/a/b\tv1.0.0\th1:abc=',
      '=>\tgithub.com/fork/b\tv1.0.1\th1:def=',
      'dep\texample.com/local\tv0.0.0',
      '=>\t../local\t(devel)\t',
      'dep\tgolang.org/x/text\tv0.7.0',
      'build\t-ldflags="-s -w -X \\"main.version=v1.2.3\\""',
      'build\t"weird key"=value',
      'build\tCGO_ENABLED=0',
      'garbage line',
      '',
    ].join('\n'),
  );
  assert.equal(info.path, 'example.com/app/cmd/app');
  assert.deepEqual(info.main, { path: 'example.com/app', version: '(devel)' });
  assert.deepEqual(info.deps, [
    { path: 'github.com/a/b', version: 'v1.0.0', replace: { path: 'github.com/fork/b', version: 'v1.0.1' } },
    { path: 'example.com/local', version: 'v0.0.0', replace: { path: '../local', version: '(devel)' } },
    { path: 'golang.org/x/text', version: 'v0.7.0' },
  ]);
  assert.deepEqual(
    [...info.settings],
    [
      ['-ldflags', '-s -w -X "main.version=v1.2.3"'],
      ['weird key', 'value'],
      ['CGO_ENABLED', '0'],
    ],
  );
});

test('GOPATH-mode info has a path and nothing else', () => {
  const info = parseModInfo('path\tgithub.com/docker/distribution/cmd/registry\nbuild\t-compiler=gc\n');
  assert.equal(info.path, 'github.com/docker/distribution/cmd/registry');
  assert.equal(info.main, null);
  assert.deepEqual(info.deps, []);
});

test('empty module info (pre-1.18 GOPATH binaries) parses to nothing', () => {
  assert.deepEqual(parseModInfo(''), { path: null, main: null, deps: [], settings: new Map() });
});
