import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { ResolvedImage } from '../image-source.js';
import {
  createFakeRegistry,
  fakeImage,
  type FakeRegistry,
  type FakeRegistryOptions,
} from '../testing/index.js';
import type { RegistryClientOptions } from './client-environment.js';
import { openRegistryImage } from './registry-source.js';

const image = fakeImage({ layers: ['first layer', 'second layer'] });
const scanner = { username: 'scanner', password: 's3cret' };
const amd64 = { kind: 'one', platform: { os: 'linux', architecture: 'amd64' } } as const;
const open: FakeRegistry[] = [];
after(() => Promise.all(open.map((registry) => registry.close())));

async function registryWith(options: Partial<FakeRegistryOptions>): Promise<FakeRegistry> {
  const registry = await createFakeRegistry({ images: { 'demo/app:1.0': image }, ...options });
  open.push(registry);
  return registry;
}

async function readAll(resolved: ResolvedImage): Promise<string[]> {
  const contents: string[] = [];
  for (const layer of resolved.layers) {
    const chunks: Buffer[] = [];
    for await (const chunk of await resolved.openLayer(layer)) chunks.push(Buffer.from(chunk));
    contents.push(Buffer.concat(chunks).toString());
  }
  return contents;
}

async function pull(registry: FakeRegistry, options: RegistryClientOptions = {}): Promise<string[]> {
  const source = openRegistryImage(`${registry.host}/demo/app:1.0`, options);
  try {
    const [resolved] = await source.resolve(amd64);
    assert.ok(resolved);
    return await readAll(resolved);
  } finally {
    await source.close();
  }
}

const authFailed = (pattern: RegExp) => (error: unknown) =>
  isCustomsError(error, 'REGISTRY_AUTH_FAILED') &&
  pattern.test(error.message) &&
  /--username\/--password or CUSTOMS_REGISTRY_AUTH/.test(error.hint ?? '') &&
  /demo\/app:1\.0$/.test(error.context.image ?? '');

describe('registry auth', () => {
  it('pulls anonymously when /v2/ answers 200, sending no Authorization', async () => {
    const registry = await registryWith({});
    assert.deepEqual(await pull(registry), ['first layer', 'second layer']);
    assert.equal(registry.stats.pings, 1);
    assert.deepEqual(
      registry.requests.filter((r) => r.authorization !== null),
      [],
    );
  });

  it('sends Basic credentials to every request after the ping', async () => {
    const registry = await registryWith({ auth: 'basic' });
    assert.deepEqual(await pull(registry, { credentials: { [registry.host]: scanner } }), [
      'first layer',
      'second layer',
    ]);
    const basic = `Basic ${Buffer.from('scanner:s3cret').toString('base64')}`;
    assert.deepEqual([...new Set(registry.requests.slice(1).map((r) => r.authorization))], [basic]);
    assert.equal(registry.stats.pings, 1);
  });

  it('fails Basic auth clearly without credentials or with a wrong password', async () => {
    const registry = await registryWith({ auth: 'basic' });
    await assert.rejects(pull(registry), authFailed(/requires a username and password/));
    await assert.rejects(
      pull(registry, { credentials: () => ({ username: 'scanner', password: 'wrong' }) }),
      authFailed(/credentials were not accepted for demo\/app/),
    );
  });

  it('reports a 403 from the registry as REGISTRY_AUTH_FAILED without retrying', async () => {
    const registry = await registryWith({ failures: [{ on: 'manifest', status: 403, times: 5 }] });
    await assert.rejects(pull(registry), authFailed(/it denied access to demo\/app \(HTTP 403\)$/));
    assert.equal(registry.stats.manifestGets, 1);
  });

  it('runs the anonymous token flow and caches the token per scope', async () => {
    const registry = await registryWith({ auth: 'token', anonymousPull: true });
    assert.deepEqual(await pull(registry), ['first layer', 'second layer']);
    assert.equal(registry.stats.tokenRequests, 1);
    const tokenCall = registry.requests.find((r) => r.path.startsWith('/token'));
    assert.equal(tokenCall?.authorization, null);
    const query = new URL(tokenCall?.path ?? '', registry.url).searchParams;
    assert.deepEqual(
      [query.get('service'), query.get('scope')],
      ['fake-registry', 'repository:demo/app:pull'],
    );
    const afterToken = registry.requests.filter((r) => /^\/v2\/demo/.test(r.path));
    assert.ok(afterToken.length >= 4 && afterToken.every((r) => r.authorization?.startsWith('Bearer ')));
  });

  it('fetches the token with Basic credentials and reads access_token', async () => {
    const registry = await registryWith({ auth: 'token', tokenField: 'access_token' });
    const asked: string[] = [];
    const credentials = (host: string) => (asked.push(host), scanner);
    assert.deepEqual(await pull(registry, { credentials }), ['first layer', 'second layer']);
    const tokenCall = registry.requests.find((r) => r.path.startsWith('/token'));
    assert.equal(tokenCall?.authorization, `Basic ${Buffer.from('scanner:s3cret').toString('base64')}`);
    assert.equal(new URL(tokenCall?.path ?? '', registry.url).searchParams.get('account'), 'scanner');
    assert.deepEqual([...new Set(asked)], [registry.host]);
  });

  it('reports insufficient_scope and rejected credentials as REGISTRY_AUTH_FAILED', async () => {
    const registry = await registryWith({ auth: 'token' });
    await assert.rejects(
      pull(registry),
      authFailed(/pulling demo\/app is not allowed \(insufficient_scope\)/),
    );
    await assert.rejects(
      pull(registry, { credentials: { [registry.host]: { username: 'scanner', password: 'nope' } } }),
      authFailed(/token service 127\.0\.0\.1:\d+ rejected the credentials for user "scanner" \(HTTP 401\)/),
    );
  });

  it('renews a token when the clock passes its expiry (and does not renew per request when clocks disagree)', async () => {
    const registry = await registryWith({ auth: 'token', anonymousPull: true, tokenExpiresIn: 60 });
    let now = Date.now();
    const source = openRegistryImage(`${registry.host}/demo/app:1.0`, { now: () => now });
    const [resolved] = await source.resolve(amd64);
    assert.ok(resolved);
    await readAll(resolved);
    assert.equal(registry.stats.tokenRequests, 1);
    now += 30_000;
    await readAll(resolved);
    assert.equal(registry.stats.tokenRequests, 1);
    now += 60_000;
    await readAll(resolved);
    assert.equal(registry.stats.tokenRequests, 2);
    // The service's issued_at is now 90 s behind our clock: the new token still lives 60 s from now.
    await readAll(resolved);
    assert.equal(registry.stats.tokenRequests, 2);
    await source.close();
  });

  it('renews a token the registry stops accepting (401 invalid_token) and retries once', async () => {
    const registry = await registryWith({ auth: 'token', anonymousPull: true });
    const source = openRegistryImage(`${registry.host}/demo/app:1.0`);
    const [resolved] = await source.resolve(amd64);
    assert.ok(resolved);
    registry.revokeTokens();
    assert.deepEqual(await readAll(resolved), ['first layer', 'second layer']);
    assert.equal(registry.stats.tokenRequests, 2);
    await source.close();
  });

  it('shares one token fetch between concurrent requests', async () => {
    const registry = await registryWith({ auth: 'token', anonymousPull: true });
    const source = openRegistryImage(`${registry.host}/demo/app:1.0`);
    const [resolved] = await source.resolve(amd64);
    assert.ok(resolved);
    registry.revokeTokens();
    await Promise.all([readAll(resolved), readAll(resolved), readAll(resolved)]);
    assert.equal(registry.stats.tokenRequests, 2);
    await source.close();
  });
});
