import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { fixtureBytes, fixtureJson } from '../test-support/fixtures.js';
import { startTrapServer } from '../test-support/trap-server.js';

const config = buildConfig();
const trap = await startTrapServer();
after(() => trap.close());

describeOnBothDatabases('Harbor webhook', (harness) => {
  const post = (
    body: string,
    authorization: string | null = SECRETS.harbor,
    contentType = 'application/json',
  ) => {
    const call = request(harness().app(config)).post('/webhooks/harbor').set('content-type', contentType);
    return (authorization === null ? call : call.set('authorization', authorization)).send(body);
  };

  test('PUSH_ARTIFACT (Default format) queues the artifact digest with registry, repository and tag', async () => {
    const response = await post(fixtureBytes('harbor-zulip-fixture-push_image.json').toString());
    assert.equal(response.status, 202);
    const digest = 'sha256:d72f37f783ed6a8d58ac70b4db052707d1ec9d4ea010ef5ccd84652faf9ed844';
    const scans = await harness().scans();
    assert.deepEqual(
      (await harness().jobs()).map((job) => [
        job.data.registry,
        job.data.repository,
        job.data.digest,
        job.data.tag,
        job.data.scanId,
      ]),
      [['harbor.example.com', 'example/test', digest, 'latest', scans[0]?.id]],
    );
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [
        d.source,
        d.deliveryId,
        d.outcome,
        d.registry,
        d.repository,
        d.tag,
      ]),
      [['harbor', null, 'enqueued', 'harbor.example.com', 'example/test', 'latest']],
    );
  });

  test('an artifact pushed by digest (Harbor repeats the digest as "tag") is queued without a tag', async () => {
    const response = await post(fixtureBytes('harbor-default-PUSH_ARTIFACT.json').toString());
    assert.equal(response.status, 202);
    assert.deepEqual(
      (await harness().jobs()).map((job) => [
        job.data.registry,
        job.data.repository,
        job.data.digest,
        job.data.tag,
      ]),
      [
        [
          'localhost',
          'harbor/alpine',
          'sha256:954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4',
          null,
        ],
      ],
    );
  });

  test('harbor.artifact.pushed (CloudEvents format) is queued, its id kept as the delivery id', async () => {
    // No pushed CloudEvent is among the samples: derived from the real artifact.deleted one, type changed.
    const sample = {
      ...fixtureJson('harbor-cloudevents-artifact.deleted.json'),
      type: 'harbor.artifact.pushed',
    };
    const response = await post(JSON.stringify(sample), SECRETS.harbor, 'application/cloudevents+json');
    assert.equal(response.status, 202);
    assert.deepEqual(
      (await harness().jobs()).map((job) => [
        job.data.registry,
        job.data.repository,
        job.data.digest,
        job.data.tag,
      ]),
      [
        [
          'localhost',
          'harbor/alpine',
          'sha256:2bb501e6173d9d006e56de5bce2720eb06396803300fe1687b58a7ff32bf4c14',
          '3.8',
        ],
      ],
    );
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome]),
      [['343f1623-7cba-487c-88f1-c5ebf55e93aa', 'enqueued']],
    );
  });

  test('pulls, deletes and scan results are acknowledged and counted, not queued', async () => {
    const samples = [
      ['harbor-default-PULL_ARTIFACT.json', 'PULL_ARTIFACT events are not scanned'],
      ['harbor-cloudevents-artifact.deleted.json', 'harbor.artifact.deleted events are not scanned'],
      ['harbor-cloudevents-scan.completed.json', 'harbor.scan.completed events are not scanned'],
    ];
    for (const [sample] of samples) {
      const response = await post(fixtureBytes(sample ?? '').toString());
      assert.equal(response.status, 200, sample);
      assert.equal(response.body.ignored, 1, sample);
    }
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      samples.map(([, reason]) => ['ignored', reason]),
    );
  });

  test('a wrong or missing Authorization is 401; nothing queued', async () => {
    const body = fixtureBytes('harbor-zulip-fixture-push_image.json').toString();
    assert.equal((await post(body, 'Basic aGFyYm9yLXRlc3Q6c2VjcmVU')).status, 401);
    assert.equal((await post(body, null)).status, 401);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => d.outcome),
      ['rejected', 'rejected'],
    );
  });

  test('a resource_url on an unconfigured registry is recorded, and nothing is fetched from it', async () => {
    const body = fixtureBytes('harbor-zulip-fixture-push_image.json')
      .toString()
      .replace('harbor.example.com', trap.host);
    const response = await post(body);
    assert.equal(response.status, 200);
    assert.deepEqual(trap.requests, []);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(await harness().scans(), []);
  });

  test('a body in neither format is acknowledged with the problem, and recorded', async () => {
    const response = await post('{"hello": "harbor"}');
    assert.equal(response.status, 200);
    assert.equal(
      response.body.problem,
      'harbor webhook body: neither a Default ("type", "event_data") nor a CloudEvents payload',
    );
  });
});
