import assert from 'node:assert/strict';
import test from 'node:test';
import { loadServiceConfig } from './load-config.js';
import { findRegistry } from './registries.js';

const files: Record<string, string> = {
  '/etc/customs.yaml': `
registries:
  - host: 127.0.0.1:5000
    aliases: [registry.local:5000]
    username: scanner
    password: { file: /run/secrets/registry }
  - host: ghcr.io
webhooks:
  distribution: { authorization: { env: DIST_TOKEN } }
  github: { secret: shh }
policy:
  failOn: CRITICAL
  ignore:
    - { id: CVE-2023-5752, reason: "pip is not used at run time", expires: 2027-01-01 }
`,
  '/run/secrets/registry': 's3cret\n',
};
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: ${path}`);
  return text;
};

test('reads the file, applies env overrides and defaults, resolves secrets, and freezes', () => {
  const config = loadServiceConfig({
    env: { CUSTOMS_CONFIG: '/etc/customs.yaml', DIST_TOKEN: 'Bearer t', REDIS_URL: 'redis://127.0.0.1:6390' },
    readFile,
  });
  assert.deepEqual(config.registries[0], {
    host: '127.0.0.1:5000',
    aliases: ['registry.local:5000'],
    insecure: false,
    credentials: { username: 'scanner', password: 's3cret' },
  });
  assert.equal(config.registries[1]?.credentials, null);
  assert.equal(config.webhooks.distribution?.authorization, 'Bearer t');
  assert.deepEqual(config.webhooks.github, { secret: 'shh', registry: 'ghcr.io' });
  assert.equal(config.redis, 'redis://127.0.0.1:6390');
  assert.equal(config.policy.failOn, 'CRITICAL');
  assert.equal(config.policy.warnOn, 'MEDIUM');
  assert.equal(config.policy.unknownSeverity, undefined, 'absent: the policy applies its default (HIGH)');
  assert.equal(config.policy.incompleteScan, undefined, 'absent: the policy applies its default (error)');
  assert.equal(config.worker.concurrency, 2);
  assert.ok(Object.isFrozen(config.registries[0]));
});

test('every problem is listed at once: unknown keys, bad values, missing secrets', () => {
  files['/bad.yaml'] = `
registries: [{ host: x, pasword: y }]
policy: { failOn: SEVERE }
webhooks: { harbor: { authorization: { env: NOT_SET } } }
`;
  assert.throws(
    () => loadServiceConfig({ env: { CUSTOMS_CONFIG: '/bad.yaml' }, readFile }),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'SERVICE_CONFIG_INVALID');
      assert.match(error.message, /registries\.0: Unrecognized key: "pasword"/);
      assert.match(error.message, /policy\.failOn/);
      return true;
    },
  );
  files['/secret.yaml'] = 'webhooks: { harbor: { authorization: { env: NOT_SET } } }';
  assert.throws(
    () => loadServiceConfig({ env: { CUSTOMS_CONFIG: '/secret.yaml' }, readFile }),
    /environment variable NOT_SET is not set/,
  );
  assert.throws(
    () => loadServiceConfig({ env: { CUSTOMS_CONFIG: '/missing.yaml' }, readFile }),
    /cannot read it/,
  );
});

test('policy.unknownSeverity takes a rated severity or ignore, nothing else', () => {
  for (const [value, expected] of [
    ['ignore', 'ignore'],
    ['MEDIUM', 'MEDIUM'],
    ['NEGLIGIBLE', 'NEGLIGIBLE'],
  ]) {
    files['/unknown.yaml'] = `policy: { unknownSeverity: ${value} }`;
    const config = loadServiceConfig({ env: { CUSTOMS_CONFIG: '/unknown.yaml' }, readFile });
    assert.equal(config.policy.unknownSeverity, expected);
  }
  for (const value of ['UNKNOWN', 'high', 'SEVERE']) {
    files['/unknown.yaml'] = `policy: { unknownSeverity: ${value} }`;
    assert.throws(
      () => loadServiceConfig({ env: { CUSTOMS_CONFIG: '/unknown.yaml' }, readFile }),
      (error: Error & { code?: string }) =>
        error.code === 'SERVICE_CONFIG_INVALID' && /policy\.unknownSeverity/.test(error.message),
      value,
    );
  }
});

test('policy.incompleteScan takes error or warn, nothing else (never pass)', () => {
  for (const value of ['error', 'warn']) {
    files['/incomplete.yaml'] = `policy: { incompleteScan: ${value} }`;
    const config = loadServiceConfig({ env: { CUSTOMS_CONFIG: '/incomplete.yaml' }, readFile });
    assert.equal(config.policy.incompleteScan, value);
  }
  for (const value of ['pass', 'ignore', 'ERROR']) {
    files['/incomplete.yaml'] = `policy: { incompleteScan: ${value} }`;
    assert.throws(
      () => loadServiceConfig({ env: { CUSTOMS_CONFIG: '/incomplete.yaml' }, readFile }),
      (error: Error & { code?: string }) =>
        error.code === 'SERVICE_CONFIG_INVALID' && /policy\.incompleteScan/.test(error.message),
      value,
    );
  }
});

test('an image is pulled only from a configured registry, by host or alias', () => {
  const config = loadServiceConfig({
    env: { CUSTOMS_CONFIG: '/etc/customs.yaml', DIST_TOKEN: 't' },
    readFile,
  });
  assert.equal(findRegistry(config.registries, 'REGISTRY.local:5000')?.host, '127.0.0.1:5000');
  assert.equal(findRegistry(config.registries, 'http://127.0.0.1:5000/v2/x')?.host, '127.0.0.1:5000');
  assert.equal(findRegistry(config.registries, 'ghcr.io:443')?.host, 'ghcr.io');
  assert.equal(findRegistry(config.registries, '169.254.169.254'), null);
  assert.equal(findRegistry(config.registries, '127.0.0.1:5001'), null);
});

test('policy.config takes failOn/warnOn severities (null: never); absent, the policy default applies', () => {
  files['/config-policy.yaml'] = 'policy: { config: { failOn: HIGH } }';
  const config = loadServiceConfig({ env: { CUSTOMS_CONFIG: '/config-policy.yaml' }, readFile });
  assert.deepEqual(config.policy.config, { failOn: 'HIGH', warnOn: null });
  files['/config-policy.yaml'] = 'policy: { failOn: HIGH }';
  assert.equal(
    loadServiceConfig({ env: { CUSTOMS_CONFIG: '/config-policy.yaml' }, readFile }).policy.config,
    undefined,
  );
  files['/config-policy.yaml'] = 'policy: { config: { failOn: HIGH, denyRoot: true } }';
  assert.throws(
    () => loadServiceConfig({ env: { CUSTOMS_CONFIG: '/config-policy.yaml' }, readFile }),
    (error: Error & { code?: string }) =>
      error.code === 'SERVICE_CONFIG_INVALID' && /policy\.config/.test(error.message),
  );
});
