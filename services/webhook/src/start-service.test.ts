import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { loadServiceConfig } from '@customs/config';
import { startWebhookService } from './start-service.js';
import { fixtureBytes } from './test-support/fixtures.js';
import { SECRETS, startHarness, type Harness } from './test-support/harness.js';

let harness: Harness;
before(async () => {
  harness = await startHarness('pglite');
});
after(() => harness.close());

/** What `customs webhook` reads: a registry with a password, the Distribution source, a bind address. */
const config = loadServiceConfig({
  env: { CUSTOMS_CONFIG: 'customs.json' },
  readFile: () =>
    JSON.stringify({
      registries: [{ host: '127.0.0.1:5000', username: 'scanner', password: 'registry-password' }],
      webhooks: { distribution: { authorization: SECRETS.distribution } },
      webhook: { port: 0, host: '127.0.0.1' },
    }),
});

test('startWebhookService: its own logger, its Redis producer and a server on the configured address', async () => {
  const lines: string[] = [];
  const service = await startWebhookService({
    config,
    store: harness.store,
    redisUrl: harness.redis.url,
    log: { destination: { write: (line: string) => void lines.push(line) } },
  });
  try {
    assert.equal(service.url, `http://127.0.0.1:${service.port}`);
    const response = await fetch(`${service.url}/webhooks/distribution`, {
      method: 'POST',
      headers: {
        'content-type': 'application/vnd.docker.distribution.events.v1+json',
        authorization: SECRETS.distribution,
      },
      body: fixtureBytes('distribution-notification-manifest-push.json'),
    });
    assert.equal(response.status, 202, await response.text());
    assert.equal((await harness.jobs()).length, 1);
    const metrics = await fetch(`${service.url}/metrics`);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(
      await metrics.text(),
      /^customs_webhook_events_total\{source="distribution",outcome="enqueued",reason="queued"\} 1$/m,
    );
    const health = await fetch(`${service.url}/healthz`);
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    const ready = await fetch(`${service.url}/readyz`);
    assert.deepEqual(await ready.json(), {
      status: 'ready',
      checks: { postgres: { ok: true }, redis: { ok: true } },
      down: [],
    });
  } finally {
    await service.close();
  }
  await assert.rejects(fetch(`${service.url}/webhooks/distribution`, { method: 'POST' }));
  const entries = lines.map((line): Record<string, unknown> => JSON.parse(line));
  assert.ok(entries.some((entry) => entry.name === 'customs-webhook' && entry.outcome === 'enqueued'));
  for (const secret of [SECRETS.distribution, 'registry-password'])
    assert.ok(!lines.join('').includes(secret), secret);
});

// Without the service's own timeouts Node would wait 60 s for the headers: the test's timeout fails it.
test(
  'a sender that never finishes its headers is answered 408 and disconnected',
  { timeout: 15_000 },
  async () => {
    const service = await startWebhookService({
      config,
      store: harness.store,
      redisUrl: harness.redis.url,
      log: { level: 'silent' },
      requestTimeoutMs: 200,
    });
    try {
      assert.match(await stalledRequest(service.port), /^HTTP\/1\.1 408 /);
    } finally {
      await service.close();
    }
  },
);

/** Sends the start of a request and nothing more; resolves with what the server wrote before it hung up. */
function stalledRequest(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /webhooks/distribution HTTP/1.1\r\nHost: customs\r\n');
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

test('/readyz answers 503 naming Redis when Redis cannot be reached', async () => {
  const service = await startWebhookService({
    config,
    store: harness.store,
    redisUrl: 'redis://127.0.0.1:1',
    log: { level: 'silent' },
  });
  try {
    const ready = await fetch(`${service.url}/readyz`);
    const body = (await ready.json()) as { status: string; down: string[] };
    assert.deepEqual([ready.status, body.status, body.down], [503, 'unavailable', ['redis']]);
  } finally {
    await service.close();
  }
});
