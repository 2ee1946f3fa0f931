import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { field, fixtureBytes, fixtureJson } from '../test-support/fixtures.js';
import { startTrapServer } from '../test-support/trap-server.js';

const V1 = 'application/vnd.docker.distribution.events.v1+json';
const V2 = 'application/vnd.docker.distribution.events.v2+json';
const config = buildConfig();
const trap = await startTrapServer();
after(() => trap.close());

// Captured from Debian's docker-registry 2.8 (test/fixtures/SOURCES.md): skopeo pushed library/debian:bookworm.
const MANIFEST = 'sha256:9b3bfa7dfd98687f01bf642570a62fcdde574c44d1da71e8b8f9b7c16d53d6d8';
const INDEX = 'sha256:595ef6500e12f5619606d9169e80f820471927b12a50706b3c5b32f423bcb906';

describeOnBothDatabases('Distribution webhook', (harness) => {
  const post = (
    body: Buffer | string,
    contentType = V1,
    authorization: string | null = SECRETS.distribution,
  ) => {
    const call = request(harness().app(config))
      .post('/webhooks/distribution')
      .set('content-type', contentType);
    // As text: superagent would serialise a Buffer as JSON under a +json content type.
    return (authorization === null ? call : call.set('authorization', authorization)).send(body.toString());
  };

  test('a manifest push by tag queues one scan of its digest and records tag and delivery', async () => {
    const response = await post(fixtureBytes('distribution-notification-manifest-push.json'));
    assert.equal(response.status, 202);
    const [scan] = await harness().scans();
    assert.deepEqual(response.body, {
      enqueued: 1,
      duplicates: 0,
      ignored: 0,
      invalid: 0,
      scans: [scan?.id],
    });
    assert.deepEqual(
      (await harness().scans()).map(({ id: _id, ...rest }) => rest),
      [
        {
          digest: MANIFEST,
          registry: '127.0.0.1:5000',
          repository: 'library/debian',
          tag: 'bookworm',
          trigger: 'webhook',
          status: 'queued',
        },
      ],
    );
    const jobs = await harness().jobs();
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.id, MANIFEST.replace(':', '-'));
    assert.deepEqual(
      { ...jobs[0]?.data, requestedAt: undefined },
      {
        v: 1,
        scanId: scan?.id,
        registry: '127.0.0.1:5000',
        repository: 'library/debian',
        digest: MANIFEST,
        tag: 'bookworm',
        requestedAt: undefined,
      },
    );
    assert.equal(
      await harness().store.images.resolveTag(
        { registry: '127.0.0.1:5000', repository: 'library/debian' },
        'bookworm',
      ),
      MANIFEST,
    );
    const deliveries = await harness().deliveries();
    assert.deepEqual(
      deliveries.map((d) => [
        d.source,
        d.deliveryId,
        d.outcome,
        d.reason,
        d.registry,
        d.repository,
        d.digest,
        d.tag,
        d.scanId,
      ]),
      [
        [
          'distribution',
          'ddc27aea-9bbf-46ce-90ab-ed346699ef12',
          'enqueued',
          null,
          '127.0.0.1:5000',
          'library/debian',
          MANIFEST,
          'bookworm',
          scan?.id,
        ],
      ],
    );
    assert.equal(field(deliveries[0]?.payload, 'action'), 'push');
  });

  test('an index push (v3 content type) is one scan of the index digest', async () => {
    const response = await post(fixtureBytes('distribution-notification-index-push.json'), V2);
    assert.equal(response.status, 202);
    const jobs = await harness().jobs();
    assert.deepEqual(
      jobs.map((job) => [job.data.digest, job.data.repository, job.data.tag]),
      [[INDEX, 'library/debian', 'multi']],
    );
  });

  test('plain application/json is accepted too', async () => {
    const response = await post(
      fixtureBytes('distribution-notification-manifest-push.json'),
      'application/json',
    );
    assert.equal(response.status, 202);
    assert.equal((await harness().jobs()).length, 1);
  });

  test('the same event sent twice is one job and one scan; the second is a recorded replay', async () => {
    const body = fixtureBytes('distribution-notification-manifest-push.json');
    const first = await post(body);
    const second = await post(body);
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    assert.equal(second.body.duplicates, 1);
    assert.equal(second.body.enqueued, 0);
    assert.deepEqual(second.body.scans, first.body.scans);
    assert.equal((await harness().jobs()).length, 1);
    assert.equal((await harness().scans()).length, 1);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome, d.reason]),
      [
        ['ddc27aea-9bbf-46ce-90ab-ed346699ef12', 'enqueued', null],
        [
          null,
          'duplicate',
          `replay of delivery ddc27aea-9bbf-46ce-90ab-ed346699ef12; scan ${first.body.scans[0]} is already queued`,
        ],
      ],
    );
  });

  test('blob pushes, mounts, pulls and deletes are acknowledged and counted, never queued', async () => {
    const samples = [
      'distribution-notification-blob-push.json',
      'distribution-notification-blob-mount.json',
      'distribution-notification-manifest-pull.json',
      'distribution-notification-manifest-delete.json',
      'distribution-notification-tag-delete.json',
    ];
    for (const sample of samples) {
      const response = await post(fixtureBytes(sample));
      assert.equal(response.status, 200, sample);
      assert.deepEqual(
        response.body,
        { enqueued: 0, duplicates: 0, ignored: 1, invalid: 0, scans: [] },
        sample,
      );
    }
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(await harness().scans(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [
        ['ignored', 'a blob push is not an image manifest or index'],
        ['ignored', 'mount events are not scanned'],
        ['ignored', 'pull events are not scanned'],
        ['ignored', 'delete events are not scanned'],
        ['ignored', 'delete events are not scanned'],
      ],
    );
    assert.deepEqual(await harness().store.deliveries.countsBySourceAndOutcome(), [
      { source: 'distribution', outcome: 'ignored', count: 5 },
    ]);
  });

  test('the documented envelope: its untagged manifest names a registry not configured (recorded), its blobs are not scanned', async () => {
    const response = await post(fixtureBytes('distribution-notifications-push-envelope.json'));
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { enqueued: 0, duplicates: 0, ignored: 2, invalid: 1, scans: [] });
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome, d.reason]),
      [
        [
          'asdf-asdf-asdf-asdf-0',
          'rejected',
          'registry example.com is not configured; add it to registries[].aliases if it is that registry',
        ],
        [
          'asdf-asdf-asdf-asdf-1',
          'ignored',
          'media type application/vnd.docker.container.image.rootfs.diff+x-gtar is not an image manifest or index',
        ],
        [
          'asdf-asdf-asdf-asdf-2',
          'ignored',
          'media type application/vnd.docker.container.image.rootfs.diff+x-gtar is not an image manifest or index',
        ],
      ],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('a manifest pushed by digest alone is scanned, unless an index is known to hold it', async () => {
    // The captured push without its tag, as buildx push-by-digest, ko or crane would push it.
    const sample = fixtureJson('distribution-notification-manifest-push.json');
    const untagged = JSON.stringify(sample).replace(/"tag":\s*"bookworm",?/, '');
    assert.ok(!untagged.includes('bookworm'));
    const first = await post(untagged);
    assert.equal(first.status, 202);
    assert.deepEqual(
      (await harness().scans()).map((scan) => [scan.digest, scan.tag]),
      [[MANIFEST, null]],
    );
    await harness().reset();
    await harness().store.images.linkIndex(INDEX, [{ digest: MANIFEST, platform: 'linux/amd64' }]);
    const child = await post(untagged);
    assert.equal(child.status, 200);
    assert.deepEqual(child.body, { enqueued: 0, duplicates: 0, ignored: 1, invalid: 0, scans: [] });
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.digest, d.reason]),
      [['ignored', MANIFEST, `pushed by digest, and a child of index ${INDEX}: scanned through it`]],
    );
    assert.deepEqual(await harness().jobs(), []);
  });

  test('the references of a large push are not stored with its delivery, only their count', async () => {
    const sample = fixtureJson('distribution-notification-manifest-push.json');
    const events = field(sample, 'events');
    assert.ok(Array.isArray(events));
    const reference = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 1, digest: MANIFEST };
    const withReferences = {
      ...sample,
      events: events.map((event: Record<string, unknown>) => ({
        ...event,
        target: { ...(event.target as object), references: Array.from({ length: 3000 }, () => reference) },
      })),
    };
    const body = JSON.stringify(withReferences);
    assert.ok(body.length > 64 * 1024, 'over the small limit the other tests run with');
    const response = await request(harness().app(buildConfig({ webhook: { bodyLimitBytes: 1024 * 1024 } })))
      .post('/webhooks/distribution')
      .set('content-type', V1)
      .set('authorization', SECRETS.distribution)
      .send(body);
    assert.equal(response.status, 202);
    const [delivery] = await harness().deliveries();
    assert.equal(field(delivery?.payload, 'target', 'referencesDropped'), 3000);
    assert.equal(field(delivery?.payload, 'target', 'references'), undefined);
  });

  test('a wrong or missing Authorization is 401 without a reason; nothing queued, the refusal stored', async () => {
    const body = fixtureBytes('distribution-notification-manifest-push.json');
    const wrong = await post(body, V1, 'Bearer distribution-test-tokem');
    const missing = await post(body, V1, null);
    for (const response of [wrong, missing]) {
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 'UNAUTHENTICATED');
    }
    // The same answer whichever check failed: the sender learns nothing about the secret.
    assert.deepEqual(wrong.body, missing.body);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(await harness().scans(), []);
    const deliveries = await harness().deliveries();
    assert.deepEqual(
      deliveries.map((d) => [d.outcome, d.reason, d.deliveryId, d.digest]),
      [
        ['rejected', 'wrong authorization header', null, null],
        ['rejected', 'no authorization header', null, null],
      ],
    );
    // Only a summary of a refused request is kept, never what it sent.
    assert.deepEqual(Object.keys(field(deliveries[0]?.payload, 'refused') ?? {}).sort(), [
      'bytes',
      'contentType',
      'remoteAddress',
      'userAgent',
    ]);
    assert.equal(JSON.stringify(harness().logs).includes('distribution-test-tokem'), false);
    assert.equal(JSON.stringify(harness().logs).includes(SECRETS.distribution), false);
  });

  test('an authentic event naming an unconfigured registry is acknowledged and recorded, with no request to it', async () => {
    // Derived from the captured manifest push: its registry address replaced by the trap's.
    const sample = fixtureBytes('distribution-notification-manifest-push.json').toString();
    const response = await post(sample.replaceAll('127.0.0.1:5000', trap.host));
    // Not 401: the registry would re-send it forever, holding its later events behind it.
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { enqueued: 0, duplicates: 0, ignored: 0, invalid: 1, scans: [] });
    assert.deepEqual(trap.requests, []);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(await harness().scans(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason, d.registry]),
      [
        [
          'rejected',
          `registry ${trap.host} is not configured; add it to registries[].aliases if it is that registry`,
          trap.host,
        ],
      ],
    );
  });

  test('malformed JSON and a body without "events" are acknowledged with the problem, and recorded', async () => {
    const malformed = await post('{"events": [');
    assert.equal(malformed.status, 200);
    assert.match(malformed.body.problem, /^malformed JSON: /);
    const shapeless = await post('{"event": {}}');
    assert.deepEqual(shapeless.body, {
      enqueued: 0,
      duplicates: 0,
      ignored: 0,
      invalid: 1,
      scans: [],
      problem: 'distribution webhook body: no "events" array',
    });
    assert.equal(shapeless.status, 200);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => d.outcome),
      ['invalid', 'invalid'],
    );
    assert.deepEqual(await harness().jobs(), []);
  });
});
