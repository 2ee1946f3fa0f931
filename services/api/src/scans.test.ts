import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { bearer, registryConfig, type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';
import { REPOSITORY, type FixtureImages } from './test-support/fixture-images.js';
import { startSeeded, type Seeded } from './test-support/seeded.js';

const NEVER_SEEN = `sha256:${'0'.repeat(63)}1`;

let seeded: Seeded;
let harness: Harness;
let images: FixtureImages;
let goof: string;
let app: Seeded['app'];

before(async () => {
  seeded = await startSeeded();
  ({ harness, images, goof, app } = seeded);
});
after(() => seeded.close());

const read = () => bearer(harness.tokens.read);

describe('POST /v1/scans and GET /v1/scans/{id}', () => {
  const write = () => bearer(harness.tokens.write);

  it('resolves a tag at the configured registry, queues one job, and answers duplicates with the open scan', async () => {
    const ref = `${images.registry.host}/${REPOSITORY}:goof`;
    const first = await request(app).post('/v1/scans').set(write()).send({ ref });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assertContract('requestScan', 202, first.body);
    assert.equal(first.body.duplicate, false);
    assert.equal(first.body.scan.digest, goof);
    assert.equal(first.body.scan.trigger, 'api');
    assert.equal(first.body.scan.status, 'queued');
    assert.equal(first.body.scan.tag, 'goof');
    assert.equal(first.headers.location, `/v1/scans/${first.body.scan.id}`);
    const second = await request(app).post('/v1/scans').set(write()).send({ ref });
    assert.equal(second.status, 202);
    assert.equal(second.body.duplicate, true);
    assert.equal(second.body.scan.id, first.body.scan.id);
    const depth = await harness.queues.depth();
    assert.equal((depth.scan.waiting ?? 0) + (depth.rescan.waiting ?? 0), 1, 'one job for the digest');

    const polled = await request(app)
      .get(first.headers.location ?? '')
      .set(read());
    assert.equal(polled.status, 200);
    assertContract('getScan', 200, polled.body);
    assert.deepEqual(polled.body, first.body.scan);
  });

  it('takes registry, repository and digest, records the tag, and the verdict is pending until scanned', async () => {
    const digest = images.gomod.manifest.digest;
    const response = await request(app)
      .post('/v1/scans')
      .set(write())
      .send({ registry: images.registry.host, repository: REPOSITORY, digest, tag: 'gomod' });
    assert.equal(response.status, 202);
    assert.equal(
      await harness.store.images.resolveTag(
        { registry: images.registry.host, repository: REPOSITORY },
        'gomod',
      ),
      digest,
    );
    const verdict = await request(app)
      .get('/v1/verdict')
      .query({ ref: `${images.registry.host}/${REPOSITORY}:gomod` })
      .set(read());
    assert.equal(verdict.body.verdict, 'pending');
    assert.equal(verdict.body.scan.id, response.body.scan.id);
  });

  it('refuses a registry that is not configured without contacting anything', async () => {
    let resolved = 0;
    const guarded = harness.app({
      registries: [registryConfig(images.registry.host)],
      resolveTag: async () => {
        resolved += 1;
        return NEVER_SEEN;
      },
    });
    for (const body of [
      { ref: 'registry.example.com/team/app:1.0' },
      { registry: '169.254.169.254', repository: 'x', digest: NEVER_SEEN },
    ]) {
      const response = await request(guarded).post('/v1/scans').set(write()).send(body);
      assert.equal(response.status, 422);
      assert.equal(response.body.error.code, 'REGISTRY_NOT_CONFIGURED');
      assertContract('requestScan', 422, response.body);
    }
    assert.equal(resolved, 0);
    assert.equal(await harness.store.scans.latestFor(NEVER_SEEN), null);
  });

  it('refuses a registry that is not exactly host[:port] instead of reading the host out of it', async () => {
    const configured = harness.app({ registries: [registryConfig('r.example')] });
    const digest = `sha256:${'0'.repeat(63)}2`;
    for (const registry of [
      'https://r.example',
      'r.example/team',
      'r.example:99999',
      'r.example:0',
      'r.example:',
      'user@r.example',
      'user:secret@r.example',
      'r.example ',
      ' r.example',
      'r .example',
    ]) {
      const response = await request(configured)
        .post('/v1/scans')
        .set(write())
        .send({ registry, repository: 'team/app', digest });
      assert.equal(response.status, 400, `${JSON.stringify(registry)}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.code, 'REQUEST_INVALID');
      assert.ok(
        response.body.error.message.includes(
          `body.registry: ${JSON.stringify(registry)} is not a registry host[:port]`,
        ),
        response.body.error.message,
      );
      assertContract('requestScan', 400, response.body);
    }
    const badPort = await request(configured)
      .post('/v1/scans')
      .set(write())
      .send({ ref: `r.example:99999/team/app@${digest}` });
    assert.equal(badPort.status, 400);
    assert.match(badPort.body.error.message, /body\.ref: "r\.example:99999" is not a registry host\[:port\]/);
    assert.equal(await harness.store.scans.latestFor(digest), null, 'no scan was made');
    const exact = await request(configured)
      .post('/v1/scans')
      .set(write())
      .send({ registry: 'r.example', repository: 'team/app', digest });
    assert.equal(exact.status, 202, JSON.stringify(exact.body));
    assert.equal(exact.body.scan.registry, 'r.example');
  });

  it('answers 404 for a tag the registry does not have, 400 for malformed requests, 403 without scans:write', async () => {
    const missing = await request(app)
      .post('/v1/scans')
      .set(write())
      .send({ ref: `${images.registry.host}/${REPOSITORY}:no-such-tag` });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'MANIFEST_NOT_FOUND');
    const both = await request(app)
      .post('/v1/scans')
      .set(write())
      .send({ ref: 'a/b:c', registry: 'x', repository: 'y', digest: NEVER_SEEN });
    assert.equal(both.status, 400);
    assert.equal(both.body.error.code, 'REQUEST_INVALID');
    const notJson = await request(app)
      .post('/v1/scans')
      .set(write())
      .set('Content-Type', 'application/json')
      .send('{"ref":');
    assert.equal(notJson.status, 400);
    assert.equal(
      notJson.body.error.message,
      'the request does not match the API contract: body: not valid JSON',
    );
    const empty = await request(app).post('/v1/scans').set(write());
    assert.equal(empty.status, 400);
    const readOnly = await request(app).post('/v1/scans').set(read()).send({ ref: 'a/b:c' });
    assert.equal(readOnly.status, 403);
    assert.equal((await request(app).post('/v1/scans').send({ ref: 'a/b:c' })).status, 401);
  });

  it('answers 400, not 500, for a body that claims gzip and is not, and reads one that is', async () => {
    const body = JSON.stringify({ registry: 'unconfigured.example', repository: 'x', digest: NEVER_SEEN });
    // Over a socket with fetch: supertest would JSON-encode a Buffer instead of sending its bytes.
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    after(() => server.close());
    const post = async (bytes: Buffer) => {
      const answer = await fetch(`http://127.0.0.1:${port}/v1/scans`, {
        method: 'POST',
        headers: { ...write(), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body: bytes,
      });
      return {
        status: answer.status,
        body: (await answer.json()) as { error: { code: string; message: string } },
      };
    };
    const gzipped = gzipSync(body);
    for (const [what, bytes] of [
      ['plain JSON', Buffer.from(body)],
      ['a cut-off gzip stream', gzipped.subarray(0, gzipped.length - 12)],
    ] as const) {
      const response = await post(bytes);
      assert.equal(response.status, 400, `${what}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.code, 'REQUEST_INVALID');
      assert.match(
        response.body.error.message,
        /Content-Encoding says gzip but the body does not decompress/,
      );
      assertContract('requestScan', 400, response.body);
    }
    // Really gzipped, the same body is read: the registry is then refused as not configured.
    const real = await post(gzipped);
    assert.equal(real.status, 422, JSON.stringify(real.body));
    assert.equal(real.body.error.code, 'REGISTRY_NOT_CONFIGURED');
  });

  it('answers 502 when a configured registry cannot resolve the tag', async () => {
    const down = harness.app({ registries: [registryConfig('127.0.0.1:1')] });
    const response = await request(down)
      .post('/v1/scans')
      .set(write())
      .send({ ref: '127.0.0.1:1/team/app:1.0' });
    assert.equal(response.status, 502);
    assert.equal(response.body.error.code, 'TAG_RESOLUTION_FAILED');
    assert.match(
      response.body.error.message,
      /^could not resolve 127\.0\.0\.1:1\/team\/app:1\.0 at its registry: /,
    );
    assertContract('requestScan', 502, response.body);
  });

  it('lets a scans:write token read the scans it requested, and no other', async () => {
    const configured = harness.app({ registries: [registryConfig('r.example')] });
    const writer = async () => bearer((await harness.store.tokens.create('ci', ['scans:write'])).token);
    const [mine, theirs] = [await writer(), await writer()];
    const ask = (token: { Authorization: string }, digest: string) =>
      request(configured)
        .post('/v1/scans')
        .set(token)
        .send({ registry: 'r.example', repository: 'a', digest });
    const get = (token: { Authorization: string }, id: string) =>
      request(configured).get(`/v1/scans/${id}`).set(token);

    const own = await ask(mine, `sha256:${'0'.repeat(63)}3`);
    assert.equal(own.status, 202);
    const polled = await get(mine, own.body.scan.id);
    assert.equal(polled.status, 200, JSON.stringify(polled.body));
    assert.deepEqual(polled.body, own.body.scan);

    const other = await ask(theirs, `sha256:${'0'.repeat(63)}4`);
    const refused = await get(mine, other.body.scan.id);
    assert.equal(refused.status, 404);
    assert.equal(refused.body.error.code, 'SCAN_NOT_FOUND');
    assertContract('getScan', 404, refused.body);
    const webhook = await harness.store.scans.create({
      registry: 'r.example',
      repository: 'a',
      digest: `sha256:${'0'.repeat(63)}5`,
      trigger: 'webhook',
    });
    assert.equal((await get(mine, webhook.id)).status, 404);

    // Asking for a scan that is already open makes it the asker's too.
    const again = await ask(mine, other.body.scan.digest);
    assert.equal(again.body.duplicate, true);
    assert.equal((await get(mine, other.body.scan.id)).status, 200);

    // verdicts:read and admin read every scan.
    for (const token of [bearer(harness.tokens.read), bearer(harness.tokens.admin)]) {
      assert.equal((await get(token, webhook.id)).status, 200);
    }
  });

  it('answers 404 for an unknown scan and 400 for an id that is not a UUID', async () => {
    const unknown = await request(app).get('/v1/scans/0b7e7f4e-4a8e-4f58-9a8a-1b2c3d4e5f60').set(read());
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'SCAN_NOT_FOUND');
    assert.equal((await request(app).get('/v1/scans/42').set(read())).status, 400);
  });
});
