import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { createWebhookApp } from './app.js';
import { buildConfig, describeOnBothDatabases, SECRETS } from './test-support/harness.js';
import { fixtureBytes, hubSignature } from './test-support/fixtures.js';

const config = buildConfig({ bodyLimitBytes: 4096 });

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

  test('a body over webhook.bodyLimitBytes is 413 with a reason, recorded, nothing queued', async () => {
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
        message: 'the body is larger than 4096 bytes',
        hint: 'raise webhook.bodyLimitBytes if the sender is right to send this much',
      },
    });
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.source, d.outcome, d.reason]),
      [['github', 'invalid', 'the body is larger than 4096 bytes']],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('an empty body from an authenticated sender is 400 malformed JSON', async () => {
    const response = await request(harness().app(config))
      .post('/webhooks/distribution')
      .set('authorization', SECRETS.distribution);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'WEBHOOK_PAYLOAD_INVALID');
    assert.match(response.body.error.message, /^malformed JSON: /);
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
