import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { credentialsFor } from './credentials.js';
import { parseDockerConfig } from './docker-config.js';

describe('parseDockerConfig', () => {
  it('decodes base64 auth entries and normalises hosts (synthetic config.json)', async () => {
    const config = JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hub:pass').toString('base64') },
        'localhost:5000': { auth: Buffer.from('scanner:s3cret').toString('base64') },
        'ghcr.io': { username: 'gh', password: 'tok' },
        'quay.io': { identitytoken: 'refresh' },
        'bad.example': { auth: Buffer.from('nocolon').toString('base64') },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
    });
    const { credentials, warnings } = parseDockerConfig(config);
    assert.deepEqual(credentials, {
      'docker.io': { username: 'hubuser', password: 'hub:pass' },
      'localhost:5000': { username: 'scanner', password: 's3cret' },
      'ghcr.io': { username: 'gh', password: 'tok' },
    });
    assert.deepEqual(warnings, [
      'gcr.io: credential helpers are not consulted',
      'quay.io: identity tokens (OAuth refresh tokens) are not supported',
      'bad.example: "auth" is not base64 of username:password',
    ]);
    assert.deepEqual(await credentialsFor(credentials, 'docker.io'), {
      username: 'hubuser',
      password: 'hub:pass',
    });
    assert.equal(await credentialsFor(credentials, 'other.io'), undefined);
  });

  it('refuses text that is not a JSON object', () => {
    assert.throws(
      () => parseDockerConfig('{'),
      (error: unknown) => isCustomsError(error, 'INVALID_INPUT'),
    );
    assert.throws(
      () => parseDockerConfig('[]'),
      (error: unknown) => isCustomsError(error, 'INVALID_INPUT'),
    );
  });
});
