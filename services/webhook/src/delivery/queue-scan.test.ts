import assert from 'node:assert/strict';
import { test } from 'node:test';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { fixtureBytes } from '../test-support/fixtures.js';

const config = buildConfig();
const MANIFEST = 'sha256:9b3bfa7dfd98687f01bf642570a62fcdde574c44d1da71e8b8f9b7c16d53d6d8';

describeOnBothDatabases('scan rows for repeated pushes of one digest', (harness) => {
  const push = (app = harness().app(config)) =>
    request(app)
      .post('/webhooks/distribution')
      .set('content-type', 'application/vnd.docker.distribution.events.v1+json')
      .set('authorization', SECRETS.distribution)
      .send(fixtureBytes('distribution-notification-manifest-push.json').toString());

  test('a push of a digest scanned within the dedupe window answers with that scan', async () => {
    const first = await push();
    const [scanId] = first.body.scans;
    await harness().store.scans.finished(scanId, { stats: { layersCached: 0, layersFetched: 1 } });
    const again = await push();
    assert.equal(again.status, 202);
    assert.deepEqual(again.body, { enqueued: 0, duplicates: 1, ignored: 0, invalid: 0, scans: [scanId] });
    assert.deepEqual(
      (await harness().scans()).map((scan) => [scan.id, scan.status]),
      [[scanId, 'done']],
    );
    assert.equal((await harness().jobs()).length, 1);
    const [, second] = await harness().deliveries();
    assert.match(
      second?.reason ?? '',
      new RegExp(`scan ${scanId} of this digest finished at .*; its result stands$`),
    );
  });

  test('past the window a new scan is created; while BullMQ still holds the old job it goes to the rescan lane', async () => {
    const first = await push();
    await harness().store.scans.finished(first.body.scans[0], {
      stats: { layersCached: 0, layersFetched: 1 },
    });
    const again = await push(harness().app(config, { dedupeWindowSeconds: 0 }));
    assert.equal(again.status, 202);
    assert.equal(again.body.enqueued, 1);
    const scans = await harness().scans();
    assert.deepEqual(
      scans.map((scan) => [scan.digest, scan.status]),
      [
        [MANIFEST, 'done'],
        [MANIFEST, 'queued'],
      ],
    );
    assert.deepEqual(again.body.scans, [scans[1]?.id]);
    assert.deepEqual(
      (await harness().jobs()).map((job) => job.data.scanId),
      [scans[0]?.id],
    );
    assert.deepEqual(
      (await harness().jobs('rescan')).map((job) => [job.id, job.data.scanId]),
      [[`rescan-${scans[1]?.id}`, scans[1]?.id]],
    );
    const [, second] = await harness().deliveries();
    assert.equal(
      second?.reason,
      `replay of delivery ddc27aea-9bbf-46ce-90ab-ed346699ef12; the queue still holds an earlier job for this digest; scan ${scans[1]?.id} was queued on the rescan lane`,
    );
  });

  test('two simultaneous pushes of one digest make one scan row', async () => {
    const app = harness().app(config);
    const responses = await Promise.all([push(app), push(app), push(app)]);
    assert.deepEqual(
      responses.map((response) => response.status),
      [202, 202, 202],
    );
    assert.equal((await harness().scans()).length, 1);
    assert.equal((await harness().jobs()).length, 1);
  });
});
