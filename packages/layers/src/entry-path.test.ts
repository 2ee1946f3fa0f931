import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseEntryPath, whiteoutMeaning } from './entry-path.js';

describe('normaliseEntryPath', () => {
  const cases: Array<[string, string | null]> = [
    ['etc/os-release', 'etc/os-release'],
    ['./etc/os-release', 'etc/os-release'],
    ['/etc/os-release', 'etc/os-release'],
    ['//etc//apt/./sources.list', 'etc/apt/sources.list'],
    ['usr/lib/', 'usr/lib'],
    ['a/b/../c', 'a/c'],
    ['a/..', ''],
    ['./', ''],
    ['../../etc/passwd', null],
    ['a/../../x', null],
    ['/../etc/shadow', null],
    ['..', null],
  ];
  for (const [name, expected] of cases) {
    it(`${JSON.stringify(name)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(normaliseEntryPath(name), expected);
    });
  }
});

describe('whiteoutMeaning', () => {
  it('reads a whiteout as the path it deletes', () => {
    assert.deepEqual(whiteoutMeaning('etc/apt/.wh.sources.list'), {
      kind: 'whiteout',
      target: 'etc/apt/sources.list',
    });
    assert.deepEqual(whiteoutMeaning('.wh.tmp'), { kind: 'whiteout', target: 'tmp' });
  });

  it('reads the opaque marker as its directory', () => {
    assert.deepEqual(whiteoutMeaning('var/cache/apt/.wh..wh..opq'), { kind: 'opaque', dir: 'var/cache/apt' });
    assert.deepEqual(whiteoutMeaning('.wh..wh..opq'), { kind: 'opaque', dir: '' });
  });

  it('recognises AUFS metadata, including what lies under it', () => {
    assert.deepEqual(whiteoutMeaning('.wh..wh.plnk'), { kind: 'aufs-metadata' });
    assert.deepEqual(whiteoutMeaning('.wh..wh.plnk/123.456'), { kind: 'aufs-metadata' });
    assert.deepEqual(whiteoutMeaning('usr/.wh..wh.aufs'), { kind: 'aufs-metadata' });
  });

  it('leaves ordinary names alone', () => {
    assert.deepEqual(whiteoutMeaning('etc/os-release'), { kind: 'none' });
    assert.deepEqual(whiteoutMeaning('etc/.whatever'), { kind: 'none' });
    assert.deepEqual(whiteoutMeaning('etc/.wh.'), { kind: 'none' });
  });
});
