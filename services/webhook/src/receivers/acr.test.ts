import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { fixtureBytes } from '../test-support/fixtures.js';
import { startTrapServer } from '../test-support/trap-server.js';

const config = buildConfig();
const trap = await startTrapServer();
after(() => trap.close());

// The event Azure's SDK tests recorded from a real registry (test/fixtures/SOURCES.md).
const SAMPLE = 'acr-push-azure-sdk-eventgrid.json';
const DIGEST = 'sha256:3013b0d761d4bad6ff16dd2805887a2f2c3fc140d6206086698b5c3e44e0f7fe';

describeOnBothDatabases('ACR webhook', (harness) => {
  const post = (body: string, authorization: string | null = SECRETS.acr) => {
    const call = request(harness().app(config)).post('/webhooks/acr').set('content-type', 'application/json');
    return (authorization === null ? call : call.set('authorization', authorization)).send(body);
  };

  test('a push (Distribution event without envelope) queues the digest on request.host', async () => {
    const response = await post(fixtureBytes(SAMPLE).toString());
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
      [['matellcr.azurecr.io', 'ubuntu', DIGEST, '18.04', scans[0]?.id]],
    );
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome, d.registry, d.repository, d.tag]),
      [['b734f818-f923-472b-aec8-50995013fd7c', 'enqueued', 'matellcr.azurecr.io', 'ubuntu', '18.04']],
    );
  });

  test('a delete is acknowledged, not queued', async () => {
    // Derived from the sample: only the action changed.
    const body = fixtureBytes(SAMPLE).toString().replace('"action":"push"', '"action":"delete"');
    const response = await post(body);
    assert.equal(response.status, 200);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => d.reason),
      ['delete events are not scanned'],
    );
  });

  test('a wrong or missing Authorization is 401; nothing queued', async () => {
    assert.equal((await post(fixtureBytes(SAMPLE).toString(), 'Bearer acr-test-tokem')).status, 401);
    assert.equal((await post(fixtureBytes(SAMPLE).toString(), null)).status, 401);
    assert.deepEqual(await harness().jobs(), []);
  });

  test('a request.host that is not configured is recorded, and nothing is fetched from it', async () => {
    const body = fixtureBytes(SAMPLE).toString().replace('matellcr.azurecr.io', trap.host);
    const response = await post(body);
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.registry]),
      [['rejected', trap.host]],
    );
    assert.deepEqual(trap.requests, []);
    assert.deepEqual(await harness().jobs(), []);
  });

  test('an envelope (the Distribution shape) is not an ACR event: acknowledged and recorded invalid', async () => {
    const response = await post(fixtureBytes('distribution-notification-manifest-push.json').toString());
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => d.outcome),
      ['invalid'],
    );
  });
});
