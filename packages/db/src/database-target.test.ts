import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { defaultDataDir, resolveDatabaseTarget } from './database-target.js';

describe('defaultDataDir', () => {
  it('uses $XDG_CACHE_HOME/customs/db', () => {
    assert.equal(
      defaultDataDir({ XDG_CACHE_HOME: '/var/cache/me', HOME: '/home/me' }),
      '/var/cache/me/customs/db',
    );
  });

  it('falls back to ~/.cache/customs/db', () => {
    assert.equal(defaultDataDir({ HOME: '/home/me' }), '/home/me/.cache/customs/db');
  });

  it('ignores a relative XDG_CACHE_HOME, as the XDG spec requires', () => {
    assert.equal(defaultDataDir({ XDG_CACHE_HOME: 'cache', HOME: '/home/me' }), '/home/me/.cache/customs/db');
  });
});

describe('resolveDatabaseTarget', () => {
  const env = { HOME: '/home/me', DATABASE_URL: 'postgres://env/db' };

  it('prefers --db', () => {
    assert.deepEqual(resolveDatabaseTarget({ db: 'postgres://flag/db' }, env), {
      url: 'postgres://flag/db',
      origin: 'flag',
    });
  });

  it('prefers --db-dir over DATABASE_URL', () => {
    assert.deepEqual(resolveDatabaseTarget({ dbDir: '/data/x' }, env), {
      dataDir: '/data/x',
      origin: 'flag',
    });
  });

  it('uses DATABASE_URL without flags', () => {
    assert.deepEqual(resolveDatabaseTarget({}, env), { url: 'postgres://env/db', origin: 'env' });
  });

  it('uses the embedded database under the cache directory by default', () => {
    assert.deepEqual(resolveDatabaseTarget({}, { HOME: '/home/me' }), {
      dataDir: '/home/me/.cache/customs/db',
      origin: 'default',
    });
  });

  it('refuses both flags at once', () => {
    assert.throws(
      () => resolveDatabaseTarget({ db: 'postgres://a/b', dbDir: '/x' }, env),
      (error) => isCustomsError(error, 'INVALID_OPTION'),
    );
  });
});
