// The configs here are generated test data; the "secrets" are made up for the test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageConfig } from '@customs/oci';
import { checkImageConfig } from './check-image-config.js';
import { redactCreatedBy, redactImageConfig } from './redact-config.js';

const SECRETS = [
  'hunter2-generated',
  'npm_generated000',
  'generatedSecretValue',
  'generated-sentry',
  'pw0rd',
  'ghp_generated0legacy0form',
  'generated quoted value',
];

const config: ImageConfig = {
  config: {
    Env: ['PATH=/usr/bin', `DB_PASSWORD=${SECRETS[0]}`, 'API_KEY=${API_KEY}', 'GPG_KEY=A035C8C1'],
    User: 'root',
  },
  history: [
    { created_by: `|2 NPM_TOKEN=${SECRETS[1]} VERSION=1.2 /bin/sh -c npm ci` },
    { created_by: `RUN |1 AWS_SECRET_ACCESS_KEY=${SECRETS[2]} /bin/sh -c ./deploy.sh # buildkit` },
    { created_by: `ARG SENTRY_AUTH_TOKEN=${SECRETS[3]}`, empty_layer: true },
    { created_by: `ADD https://user:${SECRETS[4]}@example.com/tool.tgz /opt/ # buildkit` },
    { created_by: 'RUN |1 VERSION=3 /bin/sh -c apk add libcrypto3=3.1.4-r1 # buildkit' },
    { created_by: `ENV DB_PASSWORD=${SECRETS[0]} MODE=prod`, empty_layer: true },
    { created_by: `/bin/sh -c #(nop)  ENV GITHUB_TOKEN ${SECRETS[5]}`, empty_layer: true },
    { created_by: `ENV API_TOKEN="${SECRETS[6]}"`, empty_layer: true },
  ],
};

describe('redactImageConfig (what the store keeps)', () => {
  it('holds none of the secret values', () => {
    const stored = JSON.stringify(redactImageConfig(config));
    for (const secret of SECRETS) assert.ok(!stored.includes(secret), secret);
  });

  it('gives the same findings as the original config, twice redacted too', () => {
    const original = checkImageConfig(config);
    assert.deepEqual(
      original.map((finding) => finding.id),
      ['CFG001', 'CFG002', 'CFG003', 'CFG003', 'CFG003', 'CFG004', 'CFG007'],
    );
    assert.deepEqual(checkImageConfig(redactImageConfig(config)), original);
    assert.deepEqual(checkImageConfig(redactImageConfig(redactImageConfig(config))), original);
  });

  it('keeps everything that is no secret as it was', () => {
    const redacted = redactImageConfig(config);
    assert.deepEqual(
      redacted.config?.Env?.filter((entry) => !entry.startsWith('DB_')),
      ['PATH=/usr/bin', 'API_KEY=${API_KEY}', 'GPG_KEY=A035C8C1'],
    );
    assert.equal(
      redactCreatedBy('RUN |1 VERSION=3 /bin/sh -c apk add libcrypto3=3.1.4-r1 # buildkit'),
      'RUN |1 VERSION=3 /bin/sh -c apk add libcrypto3=3.1.4-r1 # buildkit',
    );
    assert.equal(
      redactCreatedBy(`ARG SENTRY_AUTH_TOKEN=${SECRETS[3]}`),
      'ARG SENTRY_AUTH_TOKEN=<redacted:16>',
    );
  });
});
