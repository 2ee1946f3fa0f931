import assert from 'node:assert/strict';
import test from 'node:test';
import { loadServiceConfig } from './load-config.js';

function load(yaml: string, env: Record<string, string> = {}) {
  return loadServiceConfig({
    env: { CUSTOMS_CONFIG: '/etc/customs.yaml', ...env },
    readFile: () => yaml,
  });
}

test('the Harbor adapter is off unless configured', () => {
  assert.equal(load('registries: []').harbor, null);
});

test('harbor: the token is a secret, registries name configured ones, defaults fill the rest', () => {
  const config = load(
    `
registries:
  - host: core.harbor.domain
    aliases: [harbor.internal:8443]
harbor:
  token: { env: HARBOR_TOKEN }
  registries: [harbor.internal:8443]
`,
    { HARBOR_TOKEN: 'h4rbor' },
  );
  assert.deepEqual(config.harbor, {
    token: 'h4rbor',
    registries: ['harbor.internal:8443'],
    credentialTtlSeconds: 3600,
    requestTtlSeconds: 86400,
    refreshAfterSeconds: 5,
  });
});

test('harbor: a Refresh-After Harbor cannot read (over 127 s) is refused', () => {
  assert.throws(
    () =>
      load(`registries: [{ host: core.harbor.domain }]
harbor: { token: t, registries: [core.harbor.domain], refreshAfterSeconds: 300 }`),
    /harbor\.refreshAfterSeconds/,
  );
});

test('harbor: a registry that is not in `registries` is refused', () => {
  assert.throws(
    () =>
      load(
        `registries: [{ host: core.harbor.domain }]\nharbor: { token: t, registries: [elsewhere.example] }`,
      ),
    /harbor\.registries\.0: elsewhere\.example is not one of `registries`/,
  );
});
