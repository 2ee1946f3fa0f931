import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { bearer, type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';
import { startSeeded, type Seeded } from './test-support/seeded.js';

let seeded: Seeded;
let harness: Harness;
let goof: string;
let app: Seeded['app'];

before(async () => {
  seeded = await startSeeded();
  ({ harness, goof, app } = seeded);
});
after(() => seeded.close());

const read = () => bearer(harness.tokens.read);

describe('tokens', () => {
  const admin = () => bearer(harness.tokens.admin);

  it('creates a token (secret shown once), lists tokens without secrets, and revokes at once in this process', async () => {
    const created = await request(app)
      .post('/v1/tokens')
      .set(admin())
      .send({ name: 'deploy-gate', scopes: ['verdicts:read'] });
    assert.equal(created.status, 201);
    assertContract('createToken', 201, created.body);
    assert.match(created.body.token, /^cst_/);
    const token: string = created.body.token;
    assert.equal((await request(app).get(`/v1/images/${goof}/verdict`).set(bearer(token))).status, 200);
    const listed = await request(app).get('/v1/tokens').set(admin());
    assertContract('listTokens', 200, listed.body);
    const mine = listed.body.tokens.find((info: { id: string }) => info.id === created.body.info.id);
    assert.deepEqual(mine.scopes, ['verdicts:read']);
    assert.ok(!JSON.stringify(listed.body).includes(token), 'no secret in the list');
    const revoked = await request(app).delete(`/v1/tokens/${created.body.info.id}`).set(admin());
    assert.equal(revoked.status, 204);
    assert.equal((await request(app).get(`/v1/images/${goof}/verdict`).set(bearer(token))).status, 401);
    const again = await request(app).delete(`/v1/tokens/${created.body.info.id}`).set(admin());
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'TOKEN_NOT_FOUND');
  });

  it('takes a revocation in another process within the token cache time', async () => {
    const { token, info } = await harness.store.tokens.create('other-process', ['verdicts:read']);
    const other = harness.app({ tuning: { tokenCacheMs: 1_500 } });
    const ask = () => request(other).get(`/v1/images/${goof}/verdict`).set(bearer(token));
    assert.equal((await ask()).status, 200);
    assert.equal((await request(app).delete(`/v1/tokens/${info.id}`).set(admin())).status, 204);
    assert.equal((await ask()).status, 200, 'still believed from the cache');
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    assert.equal((await ask()).status, 401);
  });

  it('does not write last_used_at on every request', async () => {
    const { token, info } = await harness.store.tokens.create('busy', ['verdicts:read']);
    const busy = harness.app({ tuning: { tokenCacheMs: 60_000 } });
    await request(busy).get(`/v1/images/${goof}/verdict`).set(bearer(token));
    const lastUsed = async () =>
      (await harness.store.tokens.list()).find((entry) => entry.id === info.id)?.lastUsedAt;
    const first = await lastUsed();
    assert.ok(first instanceof Date);
    for (let i = 0; i < 20; i += 1) await request(busy).get(`/v1/images/${goof}/verdict`).set(bearer(token));
    assert.deepEqual(await lastUsed(), first);
  });

  it('needs admin, and refuses unknown scopes', async () => {
    const reader = await request(app).get('/v1/tokens').set(read());
    assert.equal(reader.status, 403);
    assert.equal(reader.body.error.code, 'TOKEN_SCOPE_MISSING');
    assert.equal(
      (
        await request(app)
          .post('/v1/tokens')
          .set(read())
          .send({ name: 'x', scopes: ['admin'] })
      ).status,
      403,
    );
    const scope = await request(app)
      .post('/v1/tokens')
      .set(admin())
      .send({ name: 'x', scopes: ['root'] });
    assert.equal(scope.status, 400);
    assert.match(scope.body.error.message, /body\.scopes\.0: must be equal to one of the allowed values/);
    assert.equal((await request(app).delete('/v1/tokens/not-a-uuid').set(admin())).status, 400);
  });
});
