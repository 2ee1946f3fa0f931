import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  createNotificationQueue,
  createNotificationStore,
  NOTIFY_QUEUE,
  publishEvent,
  verifySignature,
  type NotificationEvent,
  type NotificationQueue,
  type NotificationStore,
  type SubscriptionRequest,
} from '@customs/notifications';
import { createRedisConnection } from '@customs/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { startWorker, type RunningWorker } from '../start-worker.js';
import {
  captureLogs,
  eventually,
  requestScan,
  serviceConfig,
  settled,
  startServices,
  type TestServices,
} from './support/environment.js';
import {
  startNotificationReceiver,
  type NotificationReceiver,
  type ReceivedRequest,
} from './support/notification-receiver.js';

describe('notifications sent by the worker', () => {
  let services: TestServices;
  let worker: RunningWorker;
  let connection: Redis;
  let queue: NotificationQueue;
  let jobs: Queue;
  let notifications: NotificationStore;
  let receiver: NotificationReceiver;
  const logs = captureLogs();
  const BACKOFF_MS = 100;

  before(async () => {
    services = await startServices();
    receiver = await startNotificationReceiver();
    worker = await startWorker({
      config: serviceConfig({ registries: [], worker: { concurrency: 1, lockSeconds: 5 } }),
      store: services.store,
      redisUrl: services.redis.url,
      logger: logs.logger,
      notifications: { delivery: { backoffMs: BACKOFF_MS } },
    });
    connection = createRedisConnection(services.redis.url);
    // What the integrator's onVerdictChange hook holds: the same queue settings as the worker's.
    queue = createNotificationQueue(connection, { backoffMs: BACKOFF_MS });
    jobs = new Queue(NOTIFY_QUEUE, { connection });
    notifications = createNotificationStore(services.db);
  });

  after(async () => {
    await worker?.close();
    await queue?.close();
    await jobs?.close();
    connection?.disconnect();
    await receiver?.close();
    await services?.close();
  });

  const publish = (event: NotificationEvent) => publishEvent({ store: notifications, queue }, event);
  const subscribe = (path: string, request: Omit<SubscriptionRequest, 'url'> = {}) =>
    notifications.subscriptions.create({ url: receiver.url(path), ...request });
  const firstRequest = (path: string) => eventually(() => receiver.received(path)[0]);
  const logOf = async (subscriptionId: string, rows: number) =>
    eventually(async () => {
      const logged = await notifications.deliveries.list(subscriptionId, 100);
      return logged.length >= rows ? logged : undefined;
    });

  test('a delivery carries the event, its id, and a signature openssl and node:crypto both agree on', async () => {
    const { subscription, secret } = await subscribe('/signed', { repositoryGlob: 'signed/*' });
    const event = await publish(verdictChanged('signed/app', 'HIGH'));
    const request = await firstRequest('/signed');
    assert.deepEqual(JSON.parse(request.body), event);
    assert.equal(request.headers['customs-event-id'], event.id);
    assert.equal(request.headers['content-type'], 'application/json');
    const { t, v1 } = signatureOf(request);
    assert.equal(v1, opensslHmac(secret, `${t}.${request.body}`));
    assert.equal(v1, createHmac('sha256', secret).update(`${t}.${request.body}`, 'utf8').digest('hex'));
    const header = String(request.headers['customs-signature']);
    assert.equal(verifySignature({ secret, body: request.body, header }).ok, true);
    assert.equal(verifySignature({ secret, body: `${request.body} `, header }).ok, false);
    assert.equal(verifySignature({ secret, body: request.body, header, nowSeconds: t + 3_600 }).ok, false);
    const [logged] = await logOf(subscription.id, 1);
    assert.deepEqual(
      [logged?.eventId, logged?.attempt, logged?.statusCode, logged?.error],
      [event.id, 1, 200, null],
    );
    assert.ok(!logs.text().includes(secret), 'the secret is never logged');
  });

  test('a receiver answering 500 then 200 gets the same event twice, with backoff, and two log rows', async () => {
    receiver.answer('/flaky', [500, 200]);
    const { subscription, secret } = await subscribe('/flaky', { repositoryGlob: 'flaky/**' });
    const event = await publish(verdictChanged('flaky/app', 'CRITICAL'));
    const logged = await logOf(subscription.id, 2);
    assert.deepEqual(
      logged.map((row) => [row.attempt, row.statusCode, row.eventId]),
      [
        [2, 200, event.id],
        [1, 500, event.id],
      ],
    );
    const requests = receiver.received('/flaky');
    assert.equal(requests.length, 2);
    for (const request of requests) {
      assert.equal(request.headers['customs-event-id'], event.id);
      assert.equal(
        verifySignature({ secret, body: request.body, header: signatureHeaderOf(request) }).ok,
        true,
      );
    }
    const job = await jobs.getJob(`${event.id}-${subscription.id}`);
    assert.deepEqual(job?.opts.backoff, { type: 'exponential', delay: BACKOFF_MS });
    assert.ok(logs.entries().some((entry) => entry.msg === 'notification not delivered; will retry'));
  });

  test('a receiver that cannot be reached is logged with the error and no status', async () => {
    const { subscription } = await notifications.subscriptions.create({
      url: `http://127.0.0.1:${await closedPort()}/nobody`,
      repositoryGlob: 'unreachable/*',
    });
    const event = await publish(verdictChanged('unreachable/app', 'HIGH'));
    const [logged] = await logOf(subscription.id, 1);
    assert.equal(logged?.eventId, event.id);
    assert.equal(logged?.statusCode, null);
    assert.match(logged?.error ?? '', /ECONNREFUSED/);
    await notifications.subscriptions.delete(subscription.id);
  });

  test('repository glob, minimum severity and event types leave out the events a subscription does not want', async () => {
    const wanted = await subscribe('/wanted', { repositoryGlob: 'filtered/*', minSeverity: 'HIGH' });
    const otherRepository = await subscribe('/other', { repositoryGlob: 'elsewhere/**' });
    const onlyCritical = await subscribe('/critical', {
      repositoryGlob: 'filtered/*',
      minSeverity: 'CRITICAL',
    });
    const onlyScans = await subscribe('/scans', {
      repositoryGlob: 'filtered/*',
      eventTypes: ['scan.failed'],
    });
    const nested = await subscribe('/nested', { repositoryGlob: 'filtered/*/app' });
    const event = await publish(verdictChanged('filtered/app', 'HIGH'));
    const queued = async (subscriptionId: string) =>
      (await jobs.getJob(`${event.id}-${subscriptionId}`)) !== undefined;
    assert.deepEqual(
      await Promise.all(
        [wanted, otherRepository, onlyCritical, onlyScans, nested].map(({ subscription }) =>
          queued(subscription.id),
        ),
      ),
      [true, false, false, false, false],
    );
    assert.equal(JSON.parse((await firstRequest('/wanted')).body).id, event.id);
    const lowOnly = await publish(verdictChanged('filtered/app', 'LOW'));
    assert.equal(await jobs.getJob(`${lowOnly.id}-${wanted.subscription.id}`), undefined);
  });

  test('a Slack subscription gets { text, blocks } about the change, signed the same way', async () => {
    const { secret } = await subscribe('/slack', { repositoryGlob: 'chat/*', format: 'slack' });
    await publish(verdictChanged('chat/app', 'HIGH'));
    const request = await firstRequest('/slack');
    const message = JSON.parse(request.body);
    assert.deepEqual(Object.keys(message).sort(), ['blocks', 'text']);
    assert.match(
      message.text,
      /^Verdict of chat\/app@sha256:a{64} changed: pass → fail \(worst finding: HIGH\)/,
    );
    assert.equal(message.blocks[0].text.text, message.text);
    const { t, v1 } = signatureOf(request);
    assert.equal(v1, opensslHmac(secret, `${t}.${request.body}`));
  });

  test('a scan that fails for good publishes one scan.failed event, delivered and in the feed', async () => {
    const { subscription } = await subscribe('/failures', {
      repositoryGlob: 'failing/**',
      eventTypes: ['scan.failed'],
    });
    const scan = await requestScan(services, {
      registry: 'registry.not-configured.example',
      repository: 'failing/app',
      digest: `sha256:${'c'.repeat(64)}`,
    });
    const failed = await settled(services.store, scan.id);
    assert.equal(failed.error?.code, 'REGISTRY_NOT_CONFIGURED');
    const delivered = JSON.parse((await firstRequest('/failures')).body);
    assert.equal(delivered.type, 'scan.failed');
    assert.deepEqual(delivered.data, {
      digest: scan.digest,
      repository: 'failing/app',
      scanId: scan.id,
      error: { code: 'REGISTRY_NOT_CONFIGURED', message: failed.error?.message },
    });
    await logOf(subscription.id, 1);
    const { events } = await notifications.events.page('0', 1_000);
    const ofThisScan = events.filter(
      (event) => event.type === 'scan.failed' && event.data.scanId === scan.id,
    );
    assert.deepEqual(
      ofThisScan.map((event) => event.id),
      [delivered.id],
    );
  });
});

function verdictChanged(repository: string, severity: 'CRITICAL' | 'HIGH' | 'LOW'): NotificationEvent {
  return {
    type: 'verdict.changed',
    digest: `sha256:${'a'.repeat(64)}`,
    repository,
    oldVerdict: 'pass',
    newVerdict: 'fail',
    reasons: [
      {
        code: 'FAIL_ON',
        message: `1 ${severity} finding`,
        severity,
        count: 1,
        findings: [{ id: 'CVE-2024-0001', package: 'openssl', version: '3.0.11', fixedVersion: '3.0.12' }],
        platform: null,
      },
    ],
    dataVersion: 'generated-test-data-1',
    policyId: 'default',
    at: new Date(),
  };
}

function signatureHeaderOf(request: ReceivedRequest): string {
  return String(request.headers['customs-signature']);
}

function signatureOf(request: ReceivedRequest): { t: number; v1: string } {
  const match = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(signatureHeaderOf(request));
  assert.ok(match, signatureHeaderOf(request));
  return { t: Number(match[1]), v1: String(match[2]) };
}

/** The HMAC as OpenSSL computes it: shares no code with Customs. */
function opensslHmac(secret: string, text: string): string {
  const run = spawnSync('openssl', ['dgst', '-sha256', '-hmac', secret], { input: text });
  assert.equal(run.status, 0, run.stderr.toString());
  const hex = /= ([a-f0-9]{64})\s*$/.exec(run.stdout.toString())?.[1];
  assert.ok(hex, run.stdout.toString());
  return hex;
}

/** A loopback port that was free a moment ago and has nothing listening now: connections are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
