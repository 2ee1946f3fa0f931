import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNotificationStore, type NotificationStore } from '@customs/notifications';
import request from 'supertest';
import { bearer, startHarness, type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';

let harness: Harness;
let app: ReturnType<Harness['app']>;
let notifications: NotificationStore;

before(async () => {
  harness = await startHarness();
  app = harness.app();
  notifications = createNotificationStore(harness.db);
});
after(() => harness.close());

const admin = () => bearer(harness.tokens.admin);
const read = () => bearer(harness.tokens.read);

describe('subscriptions', () => {
  it('creates one (secret shown once), gets and lists it without the secret, deletes it', async () => {
    const created = await request(app)
      .post('/v1/subscriptions')
      .set(admin())
      .send({ url: 'https://hooks.example.com/customs', repositoryGlob: 'team/*', minSeverity: 'HIGH' });
    assert.equal(created.status, 201);
    assertContract('createSubscription', 201, created.body);
    const secret: string = created.body.secret;
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const { id } = created.body.subscription;
    assert.deepEqual(created.body.subscription.eventTypes, ['verdict.changed', 'scan.failed']);
    assert.equal(created.body.subscription.format, 'json');

    const got = await request(app).get(`/v1/subscriptions/${id}`).set(admin());
    assertContract('getSubscription', 200, got.body);
    assert.equal(got.body.minSeverity, 'HIGH');
    const listed = await request(app).get('/v1/subscriptions').set(admin());
    assertContract('listSubscriptions', 200, listed.body);
    assert.ok(listed.body.subscriptions.some((one: { id: string }) => one.id === id));
    assert.ok(!JSON.stringify([got.body, listed.body]).includes(secret), 'the secret is shown once');

    const log = await request(app).get(`/v1/subscriptions/${id}/deliveries`).set(admin());
    assertContract('listSubscriptionDeliveries', 200, log.body);
    assert.deepEqual(log.body.deliveries, []);

    assert.equal((await request(app).delete(`/v1/subscriptions/${id}`).set(admin())).status, 204);
    for (const path of [`/v1/subscriptions/${id}`, `/v1/subscriptions/${id}/deliveries`]) {
      const gone = await request(app).get(path).set(admin());
      assert.equal(gone.status, 404, path);
      assertContract('getSubscription', 404, gone.body);
      assert.equal(gone.body.error.code, 'SUBSCRIPTION_NOT_FOUND');
    }
    const again = await request(app).delete(`/v1/subscriptions/${id}`).set(admin());
    assert.equal(again.body.error.code, 'SUBSCRIPTION_NOT_FOUND');
  });

  it('shows the delivery log of a subscription, newest attempt first', async () => {
    const { subscription } = await notifications.subscriptions.create({ url: 'http://127.0.0.1:9/hook' });
    const event = await notifications.events.append(scanFailed('team/app'));
    for (const [attempt, statusCode] of [
      [1, 500],
      [2, 200],
    ] as const) {
      await notifications.deliveries.record({
        subscriptionId: subscription.id,
        eventId: event.id,
        attempt,
        statusCode,
        error: null,
        durationMs: 3,
      });
    }
    const log = await request(app).get(`/v1/subscriptions/${subscription.id}/deliveries`).set(admin());
    assertContract('listSubscriptionDeliveries', 200, log.body);
    assert.deepEqual(
      log.body.deliveries.map((row: { attempt: number; statusCode: number }) => [
        row.attempt,
        row.statusCode,
      ]),
      [
        [2, 200],
        [1, 500],
      ],
    );
  });

  it('refuses URLs it must not deliver to and globs it cannot read', async () => {
    for (const body of [
      { url: 'ftp://files.example.com/x' },
      { url: 'https://user:pass@hooks.example.com/x' },
      { url: 'https://hooks.example.com/x', repositoryGlob: 'team/[a-z]' },
    ]) {
      const refused = await request(app).post('/v1/subscriptions').set(admin()).send(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assertContract('createSubscription', 400, refused.body);
      assert.equal(refused.body.error.code, 'SUBSCRIPTION_INVALID');
    }
    const unknownType = await request(app)
      .post('/v1/subscriptions')
      .set(admin())
      .send({ url: 'https://hooks.example.com/x', eventTypes: ['image.deleted'] });
    assert.equal(unknownType.body.error.code, 'REQUEST_INVALID');
  });

  it('needs the admin scope', async () => {
    const denied = await request(app).get('/v1/subscriptions').set(read());
    assert.equal(denied.status, 403);
    assertContract('listSubscriptions', 403, denied.body);
  });
});

describe('the event feed', () => {
  it('pages events oldest first with a next cursor, and answers the same cursor when nothing is new', async () => {
    const start = await request(app).get('/v1/events').set(read());
    assertContract('listEvents', 200, start.body);
    const since: string = start.body.nextCursor;
    // Only what this test appends comes after `since`.
    const first = await request(app).get(`/v1/events?since=${since}&limit=1000`).set(read());
    assert.deepEqual(first.body.events, []);
    const appended = [];
    for (const repository of ['team/a', 'team/b', 'team/c']) {
      appended.push(await notifications.events.append(verdictChanged(repository)));
    }
    const page1 = await request(app).get(`/v1/events?since=${since}&limit=2`).set(read());
    assertContract('listEvents', 200, page1.body);
    assert.deepEqual(page1.body.events, appended.slice(0, 2));
    const page2 = await request(app).get(`/v1/events?since=${page1.body.nextCursor}&limit=2`).set(read());
    assertContract('listEvents', 200, page2.body);
    assert.deepEqual(page2.body.events, appended.slice(2));
    assert.equal(page2.body.nextCursor, appended[2]?.cursor);
    const page3 = await request(app).get(`/v1/events?since=${page2.body.nextCursor}`).set(read());
    assert.deepEqual(page3.body, { events: [], nextCursor: page2.body.nextCursor });
  });

  it('refuses a cursor it did not give', async () => {
    const refused = await request(app).get('/v1/events?since=abc').set(read());
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'REQUEST_INVALID');
  });
});

function verdictChanged(repository: string) {
  return {
    type: 'verdict.changed' as const,
    digest: `sha256:${'a'.repeat(64)}`,
    repository,
    oldVerdict: 'pass' as const,
    newVerdict: 'fail' as const,
    reasons: [
      {
        code: 'FAIL_ON' as const,
        message: '1 HIGH finding (failOn: HIGH)',
        severity: 'HIGH' as const,
        count: 1,
        findings: [{ id: 'CVE-2024-0001', package: 'openssl', version: '3.0.11', fixedVersion: '3.0.12' }],
        platform: null,
      },
    ],
    dataVersion: 'v42',
    policyId: 'default',
    at: new Date('2026-01-02T03:04:05.000Z'),
  };
}

function scanFailed(repository: string) {
  return {
    type: 'scan.failed' as const,
    digest: `sha256:${'b'.repeat(64)}`,
    repository,
    scanId: 'a3b1c2d4-0000-4000-8000-000000000000',
    error: { code: 'REGISTRY_AUTH_FAILED' as const, message: 'the registry rejected the credentials' },
    at: new Date(),
  };
}
