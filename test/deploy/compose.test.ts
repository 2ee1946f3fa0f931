// docker-compose.yml, checked the way a user's Docker would read it (Debian's docker-compose parses
// and validates it; no engine runs here), plus the configs it mounts, checked against each other.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { promisify } from 'node:util';
import { loadServiceConfig } from '@customs/config';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../support/e2e-environment.js';

const run = promisify(execFile);
const COMPOSE = join(REPO_ROOT, 'docker-compose.yml');

interface ComposeService {
  command?: string[];
  ports?: unknown[];
  container_name?: string;
  environment?: Record<string, string>;
  volumes?: unknown[];
}

async function composeConfig(
  env: Record<string, string>,
): Promise<{ services: Record<string, ComposeService> }> {
  const { stdout } = await run('docker-compose', ['-f', COMPOSE, 'config'], {
    env: { ...process.env, ...env },
  });
  return parseYaml(stdout) as { services: Record<string, ComposeService> };
}

test('docker-compose config accepts the file: every service, workers scalable', async () => {
  const { services } = await composeConfig({ CUSTOMS_DISTRIBUTION_TOKEN: 'compose-test-token' });
  assert.deepEqual(Object.keys(services).sort(), [
    'api',
    'minio',
    'minio-init',
    'postgres',
    'redis',
    'registry',
    'updater',
    'webhook',
    'worker',
  ]);
  for (const role of ['webhook', 'api', 'worker', 'updater'])
    assert.deepEqual(services[role]?.command, [role]);
  const worker = services.worker;
  assert.equal(worker?.container_name, undefined, 'a fixed name would stop --scale worker=N');
  assert.equal(worker?.ports, undefined, 'a published port would stop --scale worker=N');
  assert.equal(worker?.environment?.DATABASE_URL, 'postgres://customs:customs@postgres:5432/customs');
  assert.equal(worker?.environment?.REDIS_URL, 'redis://redis:6379');
  assert.equal(
    services.registry?.environment?.REGISTRY_NOTIFICATIONS_ENDPOINTS_0_HEADERS_AUTHORIZATION,
    'Bearer compose-test-token',
  );
  assert.equal(worker?.environment?.CUSTOMS_DISTRIBUTION_AUTHORIZATION, 'Bearer compose-test-token');
});

test('docker-compose refuses to start without the shared webhook secret', async () => {
  const env = { ...process.env };
  delete env.CUSTOMS_DISTRIBUTION_TOKEN;
  await assert.rejects(
    run('docker-compose', ['-f', COMPOSE, 'config'], { env }),
    /set CUSTOMS_DISTRIBUTION_TOKEN/,
  );
});

test('the mounted configs agree: the registry notifies the webhook route Customs serves, for a registry it allows', async () => {
  const registry = parseYaml(await readFile(join(REPO_ROOT, 'deploy/registry/config.yml'), 'utf8')) as {
    notifications: { endpoints: Array<{ url: string }> };
  };
  const [endpoint] = registry.notifications.endpoints;
  assert.equal(endpoint?.url, 'http://webhook:8081/webhooks/distribution');
  const config = loadServiceConfig({
    env: {
      CUSTOMS_CONFIG: join(REPO_ROOT, 'deploy/customs/customs.yaml'),
      CUSTOMS_DISTRIBUTION_AUTHORIZATION: 'Bearer t',
      S3_ACCESS_KEY: 'a',
      S3_SECRET_KEY: 'b',
    },
  });
  assert.equal(config.webhook.port, 8081);
  assert.equal(config.api.port, 8080);
  assert.equal(config.webhooks.distribution?.authorization, 'Bearer t');
  assert.deepEqual(
    config.registries.map((entry) => [entry.host, ...entry.aliases]),
    [['registry:5000', 'localhost:5000', '127.0.0.1:5000']],
  );
  assert.equal(config.s3?.endpoint, 'http://minio:9000');
});
