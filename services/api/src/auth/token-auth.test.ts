import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { TokenInfo } from '@customs/store';
import { createTokenAuth, requireScope } from './token-auth.js';

const reader: TokenInfo = {
  id: '7d2c8a4e-1f0b-4c3a-9e5d-2b6f8a1c0d3e',
  name: 'deploy-gate',
  scopes: ['verdicts:read'],
  repositories: null,
  createdAt: new Date(0),
  lastUsedAt: null,
  revokedAt: null,
};
const SECRET = `cst_${'k'.repeat(43)}`;

/** A token store that knows one token and counts lookups (the real one is tested in @customs/store). */
function countingStore() {
  const store = {
    lookups: 0,
    revoked: false,
    async verify(token: string) {
      store.lookups += 1;
      return token === SECRET && !store.revoked ? reader : null;
    },
  };
  return store;
}

describe('createTokenAuth', () => {
  it('looks a token up once per cache interval, however many requests carry it', async () => {
    const store = countingStore();
    let now = 0;
    const auth = createTokenAuth(store, { cacheMs: 5_000, maxEntries: 10, clock: () => now });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => auth.authenticate(`Bearer ${SECRET}`)),
    );
    assert.ok(answers.every((info) => info === reader));
    assert.equal(store.lookups, 1, 'concurrent requests share one lookup');
    now = 4_999;
    await auth.authenticate(`bearer ${SECRET}`);
    assert.equal(store.lookups, 1);
    store.revoked = true;
    now = 5_000;
    await assert.rejects(auth.authenticate(`Bearer ${SECRET}`), (error) =>
      isCustomsError(error, 'UNAUTHENTICATED'),
    );
    assert.equal(store.lookups, 2);
  });

  it('forgets a revoked token at once', async () => {
    const store = countingStore();
    const auth = createTokenAuth(store, { cacheMs: 60_000, maxEntries: 10, clock: () => 0 });
    await auth.authenticate(`Bearer ${SECRET}`);
    store.revoked = true;
    auth.forget(reader.id);
    await assert.rejects(auth.authenticate(`Bearer ${SECRET}`), (error) =>
      isCustomsError(error, 'UNAUTHENTICATED'),
    );
  });

  it('refuses a missing or malformed header without asking the store', async () => {
    const store = countingStore();
    const auth = createTokenAuth(store, { cacheMs: 1_000, maxEntries: 10, clock: () => 0 });
    for (const header of [undefined, '', SECRET, `Basic ${SECRET}`, 'Bearer', `Bearer ${SECRET} extra`]) {
      await assert.rejects(
        auth.authenticate(header),
        (error) => isCustomsError(error, 'UNAUTHENTICATED'),
        String(header),
      );
    }
    assert.equal(store.lookups, 0);
  });

  it('keeps at most maxEntries lookups (made-up tokens cannot grow memory)', async () => {
    const store = countingStore();
    const auth = createTokenAuth(store, { cacheMs: 60_000, maxEntries: 2, clock: () => 0 });
    await auth.authenticate(`Bearer ${SECRET}`);
    for (const junk of ['cst_a', 'cst_b']) await assert.rejects(auth.authenticate(`Bearer ${junk}`));
    await auth.authenticate(`Bearer ${SECRET}`);
    assert.equal(store.lookups, 4, 'the oldest entry (the real token) was dropped and looked up again');
  });
});

describe('requireScope', () => {
  it('grants what the token names, and everything to admin', () => {
    requireScope(reader, ['verdicts:read']);
    assert.throws(
      () => requireScope(reader, ['scans:write']),
      (error) => isCustomsError(error, 'TOKEN_SCOPE_MISSING'),
    );
    requireScope({ ...reader, scopes: ['admin'] }, ['scans:write']);
  });

  it('takes any one of several scopes, and names them all when the token has none', () => {
    requireScope(reader, ['scans:write', 'verdicts:read']);
    assert.throws(
      () => requireScope({ ...reader, scopes: ['verdicts:read'] }, ['scans:write', 'admin']),
      (error) =>
        isCustomsError(error, 'TOKEN_SCOPE_MISSING') &&
        error.message === 'this operation needs a token with the scans:write or admin scope',
    );
  });
});
