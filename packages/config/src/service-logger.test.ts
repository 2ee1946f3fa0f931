import assert from 'node:assert/strict';
import test from 'node:test';
import { loadServiceConfig } from './load-config.js';
import { createServiceLogger } from './service-logger.js';

/** One value per secret the configuration can hold, each distinct so a leak names itself. */
const SECRETS = {
  registryPassword: 'registry-password-1',
  distribution: 'Bearer distribution-2',
  harbor: 'Basic harbor-3',
  github: 'github-hmac-4',
  dockerhub: 'dockerhub-path-5',
  quay: 'quay-path-6',
  ecr: 'ecr-api-key-7',
  acr: 'Bearer acr-8',
  s3AccessKey: 'AKIA-9',
  s3SecretKey: 's3-secret-10',
  bootstrap: 'cst_bootstrap-11',
};

function configWithEverySecret() {
  const document = {
    registries: [{ host: 'registry.example', username: 'scanner', password: SECRETS.registryPassword }],
    webhooks: {
      distribution: { authorization: SECRETS.distribution },
      harbor: { authorization: SECRETS.harbor },
      github: { secret: SECRETS.github },
      dockerhub: { pathSecret: SECRETS.dockerhub, registry: 'docker.io' },
      quay: { pathSecret: SECRETS.quay, registry: 'quay.io' },
      ecr: { key: SECRETS.ecr, registry: 'registry.example' },
      acr: { authorization: SECRETS.acr },
    },
    s3: { bucket: 'bucket-name', accessKeyId: SECRETS.s3AccessKey, secretAccessKey: SECRETS.s3SecretKey },
    bootstrapToken: SECRETS.bootstrap,
  };
  return loadServiceConfig({ env: { CUSTOMS_CONFIG: 'c.json' }, readFile: () => JSON.stringify(document) });
}

function capture() {
  const lines: string[] = [];
  const logger = createServiceLogger('customs-test', { destination: { write: (line) => lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

test('a whole configuration logged by mistake, nested or spread, shows no secret it holds', () => {
  const config = configWithEverySecret();
  const { logger, text } = capture();
  logger.info({ config }, 'nested');
  logger.info(config, 'spread');
  logger.child({ config }).info('as a binding');
  const log = text();
  for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!log.includes(secret), name);
  // What is not secret is still there: the censoring is by key, not a blank log.
  assert.equal(log.split('registry.example').length - 1, 3 * 2);
  assert.ok(log.includes('bucket-name'));
  assert.ok(log.includes('"name":"customs-test"'));
});

test('request headers that authenticate a delivery are censored', () => {
  const { logger, text } = capture();
  logger.info(
    {
      request: {
        headers: { authorization: 'Bearer h1', 'x-hub-signature-256': 'sha256=h2', 'x-api-key': 'h3' },
      },
    },
    'request',
  );
  const entry: { request: { headers: Record<string, string> } } = JSON.parse(text());
  assert.deepEqual(entry.request.headers, {
    authorization: '[redacted]',
    'x-hub-signature-256': '[redacted]',
    'x-api-key': '[redacted]',
  });
});
