import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { fixtureBytes, fixtureJson } from '../test-support/fixtures.js';

const config = buildConfig();
const REGISTRY = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
/** The AWS sample's digest has 60 hex digits (a documentation placeholder); this one has 64. */
const DIGEST = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd12345678';

function pushWithValidDigest(overrides: Record<string, unknown> = {}): string {
  const sample = fixtureJson('aws-ecr-eventbridge-image-push.json');
  const detail = typeof sample.detail === 'object' && sample.detail !== null ? sample.detail : {};
  return JSON.stringify({ ...sample, ...overrides, detail: { ...detail, 'image-digest': DIGEST } });
}

describeOnBothDatabases('ECR (EventBridge) webhook', (harness) => {
  const post = (body: string, key: string | null = SECRETS.ecr) => {
    const call = request(harness().app(config)).post('/webhooks/ecr').set('content-type', 'application/json');
    return (key === null ? call : call.set('x-api-key', key)).send(body);
  };

  test('an ECR Image Action PUSH/SUCCESS queues the digest on <account>.dkr.ecr.<region>.amazonaws.com', async () => {
    const response = await post(pushWithValidDigest());
    assert.equal(response.status, 202);
    assert.deepEqual(
      (await harness().jobs()).map((job) => [
        job.data.registry,
        job.data.repository,
        job.data.digest,
        job.data.tag,
      ]),
      [[REGISTRY, 'my-repository-name', DIGEST, 'latest']],
    );
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome, d.registry]),
      [['13cde686-328b-6117-af20-0e5566167482', 'enqueued', REGISTRY]],
    );
  });

  test('the AWS sample as published (a 60-digit digest) is recorded invalid and not queued', async () => {
    const response = await post(fixtureBytes('aws-ecr-eventbridge-image-push.json').toString());
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { enqueued: 0, duplicates: 0, ignored: 0, invalid: 1, scans: [] });
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [['invalid', 'detail.image-digest is not a sha256 digest']],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('deletes and scan results are acknowledged, not queued', async () => {
    for (const sample of [
      'aws-ecr-eventbridge-image-delete.json',
      'aws-ecr-eventbridge-image-scan-basic.json',
    ]) {
      assert.equal((await post(fixtureBytes(sample).toString())).status, 200, sample);
    }
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [
        ['ignored', 'DELETE image actions are not scanned'],
        ['ignored', 'ECR Image Scan events are not scanned'],
      ],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('a wrong or missing API key is 401; nothing queued', async () => {
    assert.equal((await post(pushWithValidDigest(), 'ecr-test-api-kez')).status, 401);
    assert.equal((await post(pushWithValidDigest(), null)).status, 401);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [
        ['rejected', 'wrong x-api-key header'],
        ['rejected', 'no x-api-key header'],
      ],
    );
  });

  test('a push in another account or region (an unconfigured registry) is refused', async () => {
    const response = await post(pushWithValidDigest({ account: '210987654321' }));
    assert.equal(response.status, 200);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [
        [
          'rejected',
          'registry 210987654321.dkr.ecr.us-west-2.amazonaws.com is not configured; add it to registries[].aliases if it is that registry',
        ],
      ],
    );
  });
});
