import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { createApiApp } from './app.js';
import { bearer, DEFAULT_POLICY, startHarness, type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';

let harness: Harness;
before(async () => {
  harness = await startHarness('postgres');
});
after(() => harness.close());

it('answers 503 DB_UNAVAILABLE, and readiness names postgres, once the database is gone', async () => {
  const app = harness.app({ tuning: { tokenCacheMs: 0 } });
  const digest = `sha256:${'0'.repeat(63)}4`;
  const ok = await request(app).get(`/v1/images/${digest}/verdict`).set(bearer(harness.tokens.read));
  assert.equal(ok.status, 200);
  // `drop database … with (force)` terminates every connection to it, as a failover or restart would.
  await harness.dropDatabase();
  const verdict = await request(app).get(`/v1/images/${digest}/verdict`).set(bearer(harness.tokens.read));
  assert.equal(verdict.status, 503);
  assert.equal(verdict.body.error.code, 'DB_UNAVAILABLE');
  assertContract('getImageVerdict', 503, verdict.body);
  const ready = await request(app).get('/readyz');
  assert.equal(ready.status, 503);
  assert.deepEqual(ready.body.down, ['postgres']);
  assert.deepEqual(ready.body.checks.redis, { ok: true });
});

it('answers an unexpected failure as 500 INTERNAL without its details', async () => {
  const fresh = await startHarness('pglite');
  try {
    const app = createApiApp({
      config: { policy: DEFAULT_POLICY, registries: [] },
      store: fresh.store,
      queues: fresh.queues,
      // A reader with a bug: what a programming error looks like from the API's side.
      vulnReader: {
        affectedFor: fresh.reader.affectedFor,
        status: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'finishedAt')");
        },
      },
      logger: pino({ level: 'silent' }),
    });
    const response = await request(app)
      .get(`/v1/images/sha256:${'0'.repeat(64)}/verdict`)
      .set(bearer(fresh.tokens.read));
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, {
      error: { code: 'INTERNAL', message: 'the request failed unexpectedly; the API log has the details' },
    });
  } finally {
    await fresh.close();
  }
});
