import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedisConnection, createScanQueues } from '@customs/queue';
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredDelivery } from '@customs/store';
import { buildConfig, describeOnBothDatabases, SECRETS, type Harness } from '../test-support/harness.js';
import { fixtureBytes } from '../test-support/fixtures.js';

const config = buildConfig();
const MANIFEST = 'sha256:9b3bfa7dfd98687f01bf642570a62fcdde574c44d1da71e8b8f9b7c16d53d6d8';

describeOnBothDatabases('when Redis is down', (harness) => {
  test('a push is answered 503 (the sender retries) and nothing is recorded as enqueued', async () => {
    const body = fixtureBytes('distribution-notification-manifest-push.json').toString();
    const post = (app = harness().app(config)) =>
      request(app)
        .post('/webhooks/distribution')
        .set('content-type', 'application/vnd.docker.distribution.events.v1+json')
        .set('authorization', SECRETS.distribution)
        .send(body);
    await harness().redis.kill();

    // The webhook's own producer connection fails at once.
    const started = Date.now();
    const failFast = await post();
    const failFastMs = Date.now() - started;
    assert.equal(failFast.status, 503);
    assert.deepEqual(failFast.body, {
      error: {
        code: 'QUEUE_UNAVAILABLE',
        message: 'the scan could not be queued',
        hint: 'send the delivery again later',
      },
    });
    assert.ok(failFastMs < 2_000, `503 after ${failFastMs} ms`);

    // A producer whose commands wait for Redis (a worker-style connection) is cut off by the deadline.
    const connection = createRedisConnection(harness().redis.url);
    const waiting = createScanQueues(connection);
    try {
      const slowStart = Date.now();
      const deadline = await post(
        harness().app(buildConfig({ webhook: { answerWithinMs: 300 } }), { queues: waiting }),
      );
      const deadlineMs = Date.now() - slowStart;
      assert.equal(deadline.status, 503);
      assert.ok(deadlineMs >= 300 && deadlineMs < 3_000, `503 after ${deadlineMs} ms`);
    } finally {
      connection.disconnect();
    }

    // A failure is recorded without holding up the answer (PostgreSQL may be what failed).
    const deliveries = await deliveriesOnceThere(harness(), 2);
    assert.deepEqual(
      deliveries.map((d) => [d.outcome, d.deliveryId, d.digest]),
      [
        ['failed', null, MANIFEST],
        ['failed', null, MANIFEST],
      ],
    );
    assert.match(deliveries[0]?.reason ?? '', /^QUEUE_UNAVAILABLE: could not queue a scan of sha256:9b3b/);
    assert.match(deliveries[1]?.reason ?? '', /within 300 ms: (PostgreSQL or )?Redis did not answer$/);
    // One scan row, still queued: the retry finds it, and the worker's reconciler re-queues it once
    // Redis is back even if the sender never retries.
    assert.deepEqual(
      (await harness().scans()).map((scan) => [scan.digest, scan.status]),
      [[MANIFEST, 'queued']],
    );
    assert.equal(
      await harness().store.images.resolveTag(
        { registry: '127.0.0.1:5000', repository: 'library/debian' },
        'bookworm',
      ),
      null,
    );
  });
});

describeOnBothDatabases('when PostgreSQL hangs', (harness) => {
  test('a PostgreSQL that does not answer is a 503 within webhook.answerWithinMs, not a hung request', async () => {
    const { store } = harness();
    const hung = {
      ...store,
      scans: { ...store.scans, openOrCreate: () => new Promise<never>(() => undefined) },
    };
    const response = await request(
      harness().app(buildConfig({ webhook: { answerWithinMs: 1000 } }), { store: hung }),
    )
      .post('/webhooks/distribution')
      .set('content-type', 'application/vnd.docker.distribution.events.v1+json')
      .set('authorization', SECRETS.distribution)
      .send(fixtureBytes('distribution-notification-manifest-push.json').toString());
    assert.equal(response.status, 503);
    assert.equal(response.body.error.code, 'QUEUE_UNAVAILABLE');
    assert.deepEqual(
      (await deliveriesOnceThere(harness(), 1)).map((d) => [d.outcome, d.reason]),
      [
        [
          'failed',
          'QUEUE_UNAVAILABLE: the delivery was not done within 1000 ms: PostgreSQL or Redis did not answer',
        ],
      ],
    );
  });
});

/** The deliveries once `count` are stored (for at most 5 s). */
async function deliveriesOnceThere(harness: Harness, count: number): Promise<StoredDelivery[]> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const rows = await harness.deliveries();
    if (rows.length >= count) return rows;
    await sleep(50);
  }
  return harness.deliveries();
}
