import assert from 'node:assert/strict';
import test from 'node:test';
import { compareModuleVersions } from './module-version.js';
import { parseGoSum } from './parse-go-sum.js';

test('go.sum: source hashes count, go.mod-only hashes do not, the highest source version wins', () => {
  const sum = [
    'github.com/a/b v1.2.0 h1:aaa=',
    'github.com/a/b v1.2.0/go.mod h1:bbb=',
    'github.com/a/b v1.10.0 h1:ccc=',
    'github.com/a/b v1.9.0 h1:ddd=',
    'github.com/only/gomod v1.0.0/go.mod h1:eee=',
    'garbage',
    'github.com/x/y v2.0.0+incompatible h1:fff=',
    '',
  ].join('\n');
  assert.deepEqual(
    [...parseGoSum(sum)],
    [
      ['github.com/a/b', 'v1.10.0'],
      ['github.com/x/y', 'v2.0.0+incompatible'],
    ],
  );
});

test('module versions order like semver, pseudo-versions included', () => {
  const ordered = [
    'v0.0.0-20190905152932-14b96e55d84c',
    'v0.0.0-20211111083644-e5c967477495',
    'v1.0.0-alpha',
    'v1.0.0-alpha.1',
    'v1.0.0-beta.2',
    'v1.0.0-beta.11',
    'v1.0.0-rc.1',
    'v1.0.0',
    'v1.2.0',
    'v1.10.0',
    'v2.7.1-0.20190205005809-0d3efadf0154+incompatible',
    'v2.7.1+incompatible',
  ];
  for (let i = 0; i < ordered.length - 1; i++) {
    const [a = '', b = ''] = [ordered[i], ordered[i + 1]];
    assert.equal(compareModuleVersions(a, b), -1, `${a} < ${b}`);
    assert.equal(compareModuleVersions(b, a), 1, `${b} > ${a}`);
  }
  assert.equal(compareModuleVersions('v1.0.0+meta', 'v1.0.0'), 0);
});
