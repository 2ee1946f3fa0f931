import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createFakeRegistry, fakeImage } from '@customs/oci/testing';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { field, fixtureBytes } from '../test-support/fixtures.js';
import { startTrapServer } from '../test-support/trap-server.js';

// A loopback stand-in for Docker Hub with Basic auth; the images are synthetic (made in memory).
const testhook = fakeImage({ layers: ['testhook layer'] });
const nginx = fakeImage({ layers: ['nginx layer'], format: 'docker' });
const hub = await createFakeRegistry({
  images: { 'svendowideit/testhook:latest': testhook, 'library/nginx:latest': nginx },
  auth: 'basic',
  users: { scanner: 's3cret' },
});
const trap = await startTrapServer();
after(() => Promise.all([hub.close(), trap.close()]));

const config = buildConfig({
  registries: [{ host: hub.host, aliases: ['docker.io'], username: 'scanner', password: 's3cret' }],
});
const BASIC = `Basic ${Buffer.from('scanner:s3cret').toString('base64')}`;
const sample = (): string => fixtureBytes('dockerhub-docs-push.json').toString();

describeOnBothDatabases('Docker Hub webhook', (harness) => {
  const post = (body: string, secret: string = SECRETS.dockerhub, app = harness().app(config)) =>
    request(app).post(`/webhooks/dockerhub/${secret}`).set('content-type', 'application/json').send(body);

  test('a push is resolved to its digest at the configured registry, with its credentials, and queued', async () => {
    const before = hub.requests.length;
    const response = await post(sample());
    assert.equal(response.status, 202);
    const scans = await harness().scans();
    assert.deepEqual(
      (await harness().jobs()).map((job) => [
        job.data.registry,
        job.data.repository,
        job.data.digest,
        job.data.tag,
        job.data.scanId,
      ]),
      [[hub.host, 'svendowideit/testhook', testhook.manifest.digest, 'latest', scans[0]?.id]],
    );
    const calls = hub.requests.slice(before).filter((call) => call.path !== '/v2/');
    assert.ok(calls.length > 0);
    assert.ok(calls.every((call) => call.authorization === BASIC));
    const [delivery] = await harness().deliveries();
    assert.deepEqual(
      [delivery?.outcome, delivery?.registry, delivery?.repository, delivery?.digest, delivery?.tag],
      ['enqueued', hub.host, 'svendowideit/testhook', testhook.manifest.digest, 'latest'],
    );
    // The callback URL would let anyone post a build status to Docker Hub: not stored.
    assert.equal(field(delivery?.payload, 'callback_url'), '[redacted]');
  });

  test('an official image (one-part name) is looked up as library/<name>', async () => {
    // Derived from the docs sample: repo_name of an official image.
    const body = sample().replace('"repo_name": "svendowideit/testhook"', '"repo_name": "nginx"');
    const response = await post(body);
    assert.equal(response.status, 202);
    assert.deepEqual(
      (await harness().jobs()).map((job) => [job.data.repository, job.data.digest]),
      [['library/nginx', nginx.manifest.digest]],
    );
  });

  test('a wrong path secret is 401 and nothing is fetched or queued', async () => {
    const before = hub.requests.length;
    const response = await post(sample(), 'dockerhub-test-path-secreT');
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, 'UNAUTHENTICATED');
    assert.equal(hub.requests.length, before);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [['rejected', 'wrong secret in the URL path']],
    );
    // The path holds the secret: it must not reach the logs.
    assert.equal(JSON.stringify(harness().logs).includes('dockerhub-test-path-secre'), false);
  });

  test('a payload naming another registry is refused without any request to it', async () => {
    // Derived from the docs sample: repo_url on the trap's address.
    const body = sample().replace(
      '"repo_url": "https://registry.hub.docker.com/',
      `"repo_url": "http://${trap.host}/`,
    );
    const before = hub.requests.length;
    const response = await post(body);
    // Authentic (the path secret is right), so acknowledged: sending it again would change nothing.
    assert.equal(response.status, 200);
    assert.deepEqual(trap.requests, []);
    assert.equal(hub.requests.length, before);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(await harness().scans(), []);
  });

  test('with Docker Hub missing from the registries, a push is refused and nothing is fetched', async () => {
    const unconfigured = buildConfig({ registries: [{ host: trap.host }] });
    const response = await post(sample(), SECRETS.dockerhub, harness().app(unconfigured));
    assert.equal(response.status, 200);
    assert.deepEqual(trap.requests, []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [
        [
          'rejected',
          'registry registry.hub.docker.com is not configured; add it to registries[].aliases if it is that registry',
        ],
      ],
    );
  });

  test('a tag the registry does not have is 502 and recorded as failed; nothing queued', async () => {
    // Derived from the docs sample: a tag the registry does not have.
    const body = sample().replace('"tag": "latest"', '"tag": "gone"');
    const response = await post(body);
    assert.equal(response.status, 502);
    assert.deepEqual(response.body.error, {
      code: 'TAG_RESOLUTION_FAILED',
      message: 'the pushed tag could not be resolved to a digest',
      hint: 'the webhook log says why; send the delivery again once the registry answers',
    });
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(await harness().scans(), []);
    const [delivery] = await harness().deliveries();
    assert.equal(delivery?.outcome, 'failed');
    assert.match(
      delivery?.reason ?? '',
      new RegExp(`^MANIFEST_NOT_FOUND: manifest svendowideit/testhook:gone not found on ${hub.host}`),
    );
  });
});
