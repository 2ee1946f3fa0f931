import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase, writeServerControl, type Database } from '@customs/db';
import type { ScanQueues } from '@customs/queue';
import { openStore, type Store } from '@customs/store';
import { createVulnDbReader } from '@customs/vulndb';
import type express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createApiApp } from './app.js';
import { bearer, DEFAULT_POLICY, TEST_TUNING } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';
import { FIXTURES } from './test-support/fixture-images.js';

const NPM_RECORDS = join(FIXTURES, 'osv', 'npm');

/** Neither operation touches the queues: any call is a bug. */
const NO_QUEUES: Pick<ScanQueues, 'enqueueScan' | 'enqueueRescan' | 'depth' | 'ping'> = {
  enqueueScan: () => Promise.reject(new Error('unexpected enqueueScan')),
  enqueueRescan: () => Promise.reject(new Error('unexpected enqueueRescan')),
  depth: () => Promise.reject(new Error('unexpected depth')),
  ping: () => Promise.reject(new Error('unexpected ping')),
};

// The embedded database in a data directory, as `customs serve` runs it, with the control file it
// writes there for the local CLI.
let dataDir = '';
let db: Database;
let store: Store;
let app: express.Express;
const tokens = { read: '', admin: '', control: '' };
/** What the routes queued on the re-judging lane. */
const rejudged: Array<{ digests: readonly string[]; dataVersion: number }> = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'customs-api-vulndb-'));
  db = await openDatabase({ dataDir });
  store = await openStore(db);
  tokens.read = (await store.tokens.create('reader', ['verdicts:read'])).token;
  tokens.admin = (await store.tokens.create('operator', ['admin'])).token;
  const control = await store.tokens.create('customs serve control', ['admin']);
  tokens.control = control.token;
  await writeServerControl(dataDir, {
    pid: process.pid,
    url: 'http://127.0.0.1:1',
    tokenId: control.info.id,
    token: control.token,
  });
  app = createApiApp({
    config: { policy: DEFAULT_POLICY, registries: [] },
    store,
    queues: NO_QUEUES,
    vulnReader: await createVulnDbReader(db),
    logger: pino({ level: 'silent' }),
    tuning: TEST_TUNING,
    rejudge: {
      queue: {
        enqueue: async (digests, dataVersion) => {
          rejudged.push({ digests, dataVersion });
          return digests.length === 0 ? 0 : 1;
        },
      },
      batchSize: 200,
    },
  });
});
after(async () => {
  await db?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('vulnerability data through the API', () => {
  const status = async () => {
    const answer = await request(app).get('/v1/db').set(bearer(tokens.read));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertContract('getVulnDbStatus', 200, answer.body);
    return answer.body as { advisories: number; ecosystems: Array<{ ecosystem: string }> };
  };

  it('refuses a path on the server to an admin token that is not the local control credential', async () => {
    for (const body of [
      { source: NPM_RECORDS },
      { source: 'https://127.0.0.1:1/all.zip', allowLoopbackHttp: true },
    ]) {
      const answer = await request(app).post('/v1/db/imports').set(bearer(tokens.admin)).send(body);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assertContract('importAdvisories', 403, answer.body);
      assert.equal(answer.body.error.code, 'IMPORT_SOURCE_FORBIDDEN');
    }
    const reader = await request(app)
      .post('/v1/db/imports')
      .set(bearer(tokens.read))
      .send({ source: NPM_RECORDS });
    assert.equal(reader.body.error.code, 'TOKEN_SCOPE_MISSING');
    assert.equal((await status()).advisories, 0, 'nothing was imported');
  });

  it('imports a directory for the local control credential and reports it as customs db import does', async () => {
    const files = (await readdir(NPM_RECORDS)).filter((name) => name.endsWith('.json'));
    const answer = await request(app)
      .post('/v1/db/imports')
      .set(bearer(tokens.control))
      .send({ source: NPM_RECORDS });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertContract('importAdvisories', 200, answer.body);
    assert.equal(answer.body.source, NPM_RECORDS);
    assert.equal(answer.body.totals.imported, files.length);
    const after = await status();
    assert.equal(after.advisories, files.length);
    assert.deepEqual(
      after.ecosystems.map((entry) => entry.ecosystem),
      ['npm'],
    );
    // No image is cached here, so the re-judging lane is asked about none, but it is asked.
    assert.deepEqual(rejudged, [{ digests: [], dataVersion: 0 }]);
  });

  it('answers an unreadable path with SOURCE_UNREADABLE, naming it', async () => {
    const missing = join(dataDir, 'no-such-dir');
    const answer = await request(app)
      .post('/v1/db/imports')
      .set(bearer(tokens.control))
      .send({ source: missing });
    assertContract('importAdvisories', answer.status, answer.body);
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error.code, 'SOURCE_UNREADABLE');
    assert.ok(answer.body.error.message.includes(missing), answer.body.error.message);
  });

  it('refuses a CA file path or loopback http in an update to an admin token that is not the local control credential', async () => {
    for (const body of [
      { caFile: join(dataDir, 'ca.pem'), upstream: false, ecosystems: ['npm'] },
      { mirrors: ['http://127.0.0.1:1'], allowLoopbackHttp: true, upstream: false, ecosystems: ['npm'] },
    ]) {
      const answer = await request(app).post('/v1/db/updates').set(bearer(tokens.admin)).send(body);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assertContract('updateVulnDb', 403, answer.body);
      assert.equal(answer.body.error.code, 'IMPORT_SOURCE_FORBIDDEN');
    }
    const reader = await request(app)
      .post('/v1/db/updates')
      .set(bearer(tokens.read))
      .send({ upstream: false, ecosystems: ['npm'] });
    assert.equal(reader.body.error.code, 'TOKEN_SCOPE_MISSING');
  });

  it('runs an update with loopback http for the local control credential and answers UPDATE_FAILED when the mirror is down', async () => {
    // Port 1 on loopback refuses: the request passed the credential check and reached the engine.
    const answer = await request(app)
      .post('/v1/db/updates')
      .set(bearer(tokens.control))
      .send({
        mirrors: ['http://127.0.0.1:1'],
        allowLoopbackHttp: true,
        upstream: false,
        ecosystems: ['npm'],
      });
    assertContract('updateVulnDb', answer.status, answer.body);
    assert.equal(answer.status, 502, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'UPDATE_FAILED');
    const data = await request(app).get('/v1/db').set(bearer(tokens.read));
    assert.equal(data.body.dataVersion, null, 'no data version was made');
  });
});
