import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createFakeRegistry, fakeImage, fakeIndex } from '@customs/oci/testing';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { fixtureBytes, fixtureJson } from '../test-support/fixtures.js';
import { startTrapServer } from '../test-support/trap-server.js';

// A loopback stand-in for quay.io with Basic auth; the images are synthetic (made in memory). `v2` is an
// index with no linux/amd64 image, so resolving it needs the every-platform fallback.
const latest = fakeImage({ layers: ['quay latest layer'] });
const armOnly = fakeIndex([
  { content: fakeImage({ layers: ['arm layer'], platform: { os: 'linux', architecture: 'arm64' } }) },
]);
const quay = await createFakeRegistry({
  images: { 'mynamespace/repository:latest': latest, 'mynamespace/repository:v2': armOnly },
  auth: 'basic',
  users: { robot: 'quay-pass' },
});
const trap = await startTrapServer();
after(() => Promise.all([quay.close(), trap.close()]));

const config = buildConfig({
  registries: [{ host: quay.host, aliases: ['quay.io'], username: 'robot', password: 'quay-pass' }],
});

describeOnBothDatabases('Quay webhook', (harness) => {
  const post = (body: string, secret: string = SECRETS.quay) =>
    request(harness().app(config))
      .post(`/webhooks/quay/${secret}`)
      .set('content-type', 'application/json')
      .send(body);

  test('repo_push with updated_tags as a map: each tag resolved at the configured registry and queued', async () => {
    const response = await post(fixtureBytes('quay-docs-repo_push.json').toString());
    assert.equal(response.status, 202);
    assert.deepEqual(
      (await harness().jobs()).map((job) => [
        job.data.registry,
        job.data.repository,
        job.data.digest,
        job.data.tag,
      ]),
      [[quay.host, 'mynamespace/repository', latest.manifest.digest, 'latest']],
    );
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.digest, d.tag]),
      [['enqueued', latest.manifest.digest, 'latest']],
    );
  });

  test('repo_push with updated_tags as a list (what Quay sends today): one scan per tag', async () => {
    // Derived from the docs sample: updated_tags in the list form of quay/quay's notification code.
    const body = JSON.stringify({
      ...fixtureJson('quay-docs-repo_push.json'),
      updated_tags: ['latest', 'v2'],
    });
    const response = await post(body);
    assert.equal(response.status, 202);
    assert.equal(response.body.enqueued, 2);
    assert.deepEqual(
      (await harness().jobs()).map((job) => [job.data.digest, job.data.tag]).sort(),
      [
        [latest.manifest.digest, 'latest'],
        [armOnly.manifest.digest, 'v2'],
      ].sort(),
    );
  });

  test('other notifications (build_success) are acknowledged, not queued', async () => {
    const response = await post(fixtureBytes('quay-docs-build_success.json').toString());
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [['ignored', 'not a repo_push notification (no updated_tags)']],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('a wrong path secret is 401 and nothing is fetched or queued', async () => {
    const before = quay.requests.length;
    const response = await post(fixtureBytes('quay-docs-repo_push.json').toString(), 'quay-test-path-secrex');
    assert.equal(response.status, 401);
    assert.equal(quay.requests.length, before);
    assert.deepEqual(await harness().jobs(), []);
  });

  test('a docker_url on another registry is refused without any request to it', async () => {
    const body = JSON.stringify({
      ...fixtureJson('quay-docs-repo_push.json'),
      docker_url: `${trap.host}/mynamespace/repository`,
    });
    const before = quay.requests.length;
    const response = await post(body);
    // Authentic (the path secret is right), so acknowledged and recorded: sending it again changes nothing.
    assert.equal(response.status, 200);
    assert.deepEqual(trap.requests, []);
    assert.equal(quay.requests.length, before);
    assert.deepEqual(await harness().jobs(), []);
  });
});
