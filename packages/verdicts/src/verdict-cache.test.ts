import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialise, VerdictCache, type CachedVerdict } from './verdict-cache.js';

const entry = (over: Partial<CachedVerdict<string>> = {}): CachedVerdict<string> => ({
  value: 'fail',
  ...serialise('fail'),
  dataVersion: 'v1',
  policyVersion: 'p1',
  expiresAt: 1_000,
  validUntil: Infinity,
  ...over,
});

const V1 = { data: 'v1', policy: 'p1' };

describe('VerdictCache', () => {
  it('answers for the same data version until the entry expires', () => {
    const cache = new VerdictCache<string>(10);
    cache.set('sha256:a', entry());
    assert.equal(cache.get('sha256:a', V1, 999, 0)?.value, 'fail');
    assert.equal(cache.get('sha256:a', { data: 'v2', policy: 'p1' }, 0, 0), null, 'another data version');
    cache.set('sha256:a', entry());
    assert.equal(cache.get('sha256:a', { data: 'v1', policy: 'p2' }, 0, 0), null, 'another policy version');
    cache.set('sha256:a', entry());
    assert.equal(cache.get('sha256:a', V1, 1_000, 0), null, 'expired');
    assert.equal(cache.size, 0);
  });

  it('drops an entry once an ignore entry it relied on expires', () => {
    const cache = new VerdictCache<string>(10);
    cache.set('sha256:a', entry({ validUntil: Date.parse('2030-02-01T00:00:00Z') }));
    assert.ok(cache.get('sha256:a', V1, 0, Date.parse('2030-01-31T23:59:59Z')));
    assert.equal(cache.get('sha256:a', V1, 0, Date.parse('2030-02-01T00:00:00Z')), null);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new VerdictCache<string>(2);
    for (const digest of ['sha256:a', 'sha256:b', 'sha256:c']) cache.set(digest, entry());
    assert.equal(cache.get('sha256:a', V1, 0, 0), null);
    assert.ok(cache.get('sha256:c', V1, 0, 0));
    cache.forget('sha256:c');
    assert.equal(cache.get('sha256:c', V1, 0, 0), null);
  });
});

describe('serialise', () => {
  it('gives the same strong ETag to the same bytes and another to other bytes', () => {
    const a = serialise({ verdict: 'pass' });
    assert.equal(a.bytes.toString(), a.json);
    assert.match(a.etag, /^"[\w-]{27}"$/);
    assert.equal(serialise({ verdict: 'pass' }).etag, a.etag);
    assert.notEqual(serialise({ verdict: 'fail' }).etag, a.etag);
  });
});
