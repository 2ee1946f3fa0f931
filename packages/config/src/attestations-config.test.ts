import assert from 'node:assert/strict';
import test from 'node:test';
import { loadServiceConfig } from './load-config.js';

function load(yaml: string) {
  return loadServiceConfig({ env: { CUSTOMS_CONFIG: '/etc/customs.yaml' }, readFile: () => yaml });
}

test('attestations are off unless asked for', () => {
  assert.deepEqual(load('registries: []').attestations, { push: false, sbomFormat: 'cyclonedx' });
});

test('attestations: the signing key is named (file or env), not read into the configuration', () => {
  const config = load(
    'attestations: { push: true, sbomFormat: spdx, signingKey: { env: CUSTOMS_SIGNING_KEY } }',
  );
  assert.deepEqual(config.attestations, {
    push: true,
    sbomFormat: 'spdx',
    signingKey: { env: 'CUSTOMS_SIGNING_KEY' },
  });
  const fromFile = load('attestations: { push: true, signingKey: { file: /run/secrets/cosign.pem } }');
  assert.deepEqual(fromFile.attestations.signingKey, { file: '/run/secrets/cosign.pem' });
});

test('attestations: pushing without a key, an inline key or an unknown format is refused', () => {
  assert.throws(
    () => load('attestations: { push: true }'),
    /attestations\.signingKey: push: true needs signingKey/,
  );
  assert.throws(
    () => load('attestations: { push: true, signingKey: "-----BEGIN PRIVATE KEY-----" }'),
    /attestations\.signingKey/,
  );
  assert.throws(
    () => load('attestations: { push: true, sbomFormat: swid, signingKey: { file: k.pem } }'),
    /attestations\.sbomFormat/,
  );
});
