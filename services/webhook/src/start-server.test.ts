import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWebhookLogger } from './logger.js';
import { buildConfig, describeOnBothDatabases, SECRETS } from './test-support/harness.js';
import { fixtureBytes } from './test-support/fixtures.js';
import { startWebhookServer } from './start-server.js';

describeOnBothDatabases('startWebhookServer', (harness) => {
  test('serves the app over real HTTP until closed', async () => {
    const server = await startWebhookServer(harness().app(buildConfig()), { port: 0, host: '127.0.0.1' });
    try {
      assert.equal(server.url, `http://127.0.0.1:${server.port}`);
      const response = await fetch(`${server.url}/webhooks/distribution`, {
        method: 'POST',
        headers: {
          'content-type': 'application/vnd.docker.distribution.events.v1+json',
          authorization: SECRETS.distribution,
        },
        body: fixtureBytes('distribution-notification-manifest-push.json'),
      });
      assert.equal(response.status, 202);
      assert.equal((await harness().jobs()).length, 1);
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`${server.url}/webhooks/distribution`, { method: 'POST' }));
  });
});

test('createWebhookLogger censors secret-bearing keys if anything ever logs them', () => {
  const lines: string[] = [];
  const logger = createWebhookLogger({ destination: { write: (line: string) => void lines.push(line) } });
  logger.info(
    {
      headers: { authorization: 'Bearer x1', 'x-hub-signature-256': 'sha256=x2', 'x-api-key': 'x3' },
      params: { secret: 'x4' },
    },
    'request',
  );
  const [line] = lines;
  assert.ok(line);
  for (const secret of ['x1', 'x2', 'x3', 'x4']) assert.equal(line.includes(secret), false, secret);
  assert.equal(line.split('[redacted]').length - 1, 4);
});
