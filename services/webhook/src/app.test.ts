import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { createWebhookApp } from './app.js';
import { buildConfig, describeOnBothDatabases, SECRETS } from './test-support/harness.js';
import { field, fixtureBytes, hubSignature } from './test-support/fixtures.js';

const config = buildConfig({ webhook: { bodyLimitBytes: 4096, signedBodyLimitBytes: 4096 } });

const V1 = 'application/vnd.docker.distribution.events.v1+json';
function distribution(app: Express, body: string, authorization: string | null = SECRETS.distribution) {
  const call = request(app).post('/webhooks/distribution').set('content-type', V1);
  return (authorization === null ? call : call.set('authorization', authorization)).send(body);
}

describeOnBothDatabases('the webhook app', (harness) => {
  test('unknown routes, other methods and a missing path secret are 404 without echoing the path', async () => {
    const app = harness().app(config);
    for (const call of [
      request(app).post('/webhooks/gitlab'),
      request(app).get('/webhooks/distribution'),
      request(app).post('/webhooks/dockerhub'),
      request(app).get(`/webhooks/quay/${SECRETS.quay}`),
    ]) {
      const response = await call;
      assert.equal(response.status, 404);
      assert.deepEqual(response.body, {
        error: { code: 'ROUTE_NOT_FOUND', message: 'no webhook route here' },
      });
    }
  });

  test('a source without a configuration section has no route', async () => {
    const onlyDistribution = buildConfig({
      webhooks: { distribution: { authorization: SECRETS.distribution } },
    });
    const response = await request(harness().app(onlyDistribution))
      .post('/webhooks/harbor')
      .set('content-type', 'application/json')
      .send(fixtureBytes('harbor-zulip-fixture-push_image.json').toString());
    assert.equal(response.status, 404);
  });

  test('a signed body over webhook.signedBodyLimitBytes is 413 (its signature is never checked), refused, nothing queued', async () => {
    // The octokit sample is 20 790 bytes; the limit here is 4 096.
    const body = fixtureBytes('github-registry_package-published-docker-octokit.json').toString();
    const response = await request(harness().app(config))
      .post('/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'registry_package')
      .set('x-hub-signature-256', hubSignature(SECRETS.github, body))
      .send(body);
    assert.equal(response.status, 413);
    assert.deepEqual(response.body, {
      error: {
        code: 'REQUEST_INVALID',
        message: 'the body is larger than 4096 bytes (webhook.signedBodyLimitBytes)',
        hint: 'raise webhook.signedBodyLimitBytes if the sender is right to send this much',
      },
    });
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.source, d.outcome, d.reason]),
      [['github', 'rejected', 'the body is larger than 4096 bytes (webhook.signedBodyLimitBytes)']],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('an authenticated body over webhook.bodyLimitBytes (the hard cap) is acknowledged and recorded, so the registry moves on', async () => {
    const big = JSON.stringify({ events: [{ action: 'push', padding: 'x'.repeat(5000) }] });
    const response = await distribution(harness().app(config), big);
    assert.equal(response.status, 200);
    assert.equal(response.body.invalid, 1);
    const reason = 'the body is larger than 4096 bytes (webhook.bodyLimitBytes): not read, nothing scanned';
    assert.equal(response.body.problem, reason);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.source, d.outcome, d.reason]),
      [['distribution', 'invalid', reason]],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('the same body without the secret is refused by its headers, unread', async () => {
    const big = JSON.stringify({ events: [{ action: 'push', padding: 'x'.repeat(5000) }] });
    const response = await distribution(harness().app(config), big, null);
    assert.equal(response.status, 401);
    const [refused] = await harness().deliveries();
    assert.equal(field(refused?.payload, 'refused', 'bytes'), Buffer.byteLength(big));
  });

  test('a gzip body is read; one that only claims to be gzip is 400, recorded', async () => {
    const sample = fixtureBytes('distribution-notification-manifest-push.json');
    const zipped = await request(harness().app(buildConfig()))
      .post('/webhooks/distribution')
      // Not a JSON type: superagent would serialise the Buffer as JSON.
      .set('content-type', 'application/octet-stream')
      .set('content-encoding', 'gzip')
      .set('authorization', SECRETS.distribution)
      .send(gzipSync(sample));
    assert.equal(zipped.status, 202);
    const fake = await request(harness().app(config))
      .post('/webhooks/distribution')
      .set('content-type', 'application/vnd.docker.distribution.events.v1+json')
      .set('content-encoding', 'gzip')
      .set('authorization', SECRETS.distribution)
      .send(sample.toString());
    assert.equal(fake.status, 400);
    assert.equal(fake.body.error.code, 'REQUEST_INVALID');
    assert.match(fake.body.error.message, /^the body cannot be read: not gzip: /);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => d.outcome),
      ['enqueued', 'invalid'],
    );
  });

  test('an empty body from an authenticated sender is acknowledged as malformed JSON and recorded', async () => {
    const response = await request(harness().app(config))
      .post('/webhooks/distribution')
      .set('authorization', SECRETS.distribution);
    assert.equal(response.status, 200);
    assert.match(response.body.problem, /^malformed JSON: /);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason?.startsWith('malformed JSON: ')]),
      [['invalid', true]],
    );
  });

  test('refused requests are recorded small, and past the per-address allowance answered 429 unrecorded', async () => {
    const limited = buildConfig({ webhook: { bodyLimitBytes: 4096, refusedPerMinute: 3 } });
    const app = harness().app(limited);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await request(app)
        .post('/webhooks/distribution')
        .set('authorization', 'Bearer forged')
        .set('user-agent', 'u'.repeat(15_000))
        .send('{}');
      statuses.push(response.status);
      if (response.status === 429) assert.equal(response.headers['retry-after'], '60');
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
    const rows = await harness().deliveries();
    assert.equal(rows.length, 3);
    for (const row of rows) assert.ok(JSON.stringify(row.payload).length < 400, JSON.stringify(row.payload));
    assert.match(
      String(field(rows[0]?.payload, 'refused', 'userAgent')),
      /^u{200}… \(14800 more characters\)$/,
    );
  });

  test('each delivery is one JSON log line with where and what, and no secret', async () => {
    await request(harness().app(config))
      .post('/webhooks/distribution')
      .set('content-type', 'application/vnd.docker.distribution.events.v1+json')
      .set('authorization', SECRETS.distribution)
      .send(fixtureBytes('distribution-notification-manifest-push.json').toString());
    const line = harness().logs.find((entry) => entry.msg === 'webhook event enqueued');
    assert.equal(line?.source, 'distribution');
    assert.equal(line?.registry, '127.0.0.1:5000');
    assert.equal(line?.repository, 'library/debian');
    assert.equal(line?.digest, 'sha256:9b3bfa7dfd98687f01bf642570a62fcdde574c44d1da71e8b8f9b7c16d53d6d8');
    const all = JSON.stringify(harness().logs);
    for (const secret of Object.values(SECRETS)) assert.equal(all.includes(secret), false, secret);
  });
});

test('createWebhookApp refuses missing dependencies at once', () => {
  assert.throws(
    // @ts-expect-error: the point is a caller that forgot the queues.
    () => createWebhookApp({ config, store: {}, logger: console }),
    { code: 'INVALID_OPTION', message: 'invalid option queues: is required' },
  );
});
