import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { createFakeRegistry, type FakeImage, type FakeRegistry } from '@customs/oci/testing';
import { admitRegistry, requireRegistry } from './configured-registry.js';
import { openImageByDigest, registryClientOptions } from './registry-client.js';
import { createTagResolver } from './resolve-tag.js';
import { debianImage, registryConfig } from './test-support/fixtures.js';

let registry: FakeRegistry;
let image: FakeImage;

before(async () => {
  image = await debianImage();
  registry = await createFakeRegistry({ images: { 'team/app:1.0': image } });
});
after(() => registry.close());

const resolve = createTagResolver({ retry: { maxAttempts: 1 } });

describe('tag resolution at a configured registry', () => {
  it('answers the digest the tag points to', async () => {
    const digest = await resolve(registryConfig(registry.host), 'team/app', '1.0');
    assert.equal(digest, image.manifest.digest);
  });

  it('passes a tag the registry does not have through as MANIFEST_NOT_FOUND', async () => {
    await assert.rejects(resolve(registryConfig(registry.host), 'team/app', 'gone'), (error) =>
      isCustomsError(error, 'MANIFEST_NOT_FOUND'),
    );
  });

  it('fails with TAG_RESOLUTION_FAILED, naming the tag, when the registry cannot answer', async () => {
    await assert.rejects(resolve(registryConfig('127.0.0.1:1'), 'team/app', '1.0'), (error) => {
      assert.ok(isCustomsError(error, 'TAG_RESOLUTION_FAILED'));
      assert.match(error.message, /^could not resolve 127\.0\.0\.1:1\/team\/app:1\.0 at its registry: /);
      assert.equal(error.context.image, '127.0.0.1:1/team/app:1.0');
      return true;
    });
  });
});

describe('the configured-registry allow-list', () => {
  const registries = [{ ...registryConfig('ghcr.io'), aliases: ['github'] }, registryConfig('quay.io')];

  it('admits a configured registry by host or alias, and only the pinned one when pinned', () => {
    assert.equal(admitRegistry(registries, 'github').ok, true);
    assert.deepEqual(admitRegistry(registries, 'evil.example'), {
      ok: false,
      reason: 'registry evil.example is not configured',
    });
    assert.deepEqual(admitRegistry(registries, 'quay.io', 'ghcr.io'), {
      ok: false,
      reason: 'registry quay.io is not ghcr.io, the registry this webhook is configured for',
    });
  });

  it('refuses an unconfigured registry with REGISTRY_NOT_CONFIGURED before any request', async () => {
    assert.throws(
      () => requireRegistry(registries, '169.254.169.254'),
      (error) => isCustomsError(error, 'REGISTRY_NOT_CONFIGURED'),
    );
    const before = registry.requests.length;
    assert.throws(
      () =>
        openImageByDigest([registryConfig('elsewhere.example')], {
          registry: registry.host,
          repository: 'team/app',
          digest: image.manifest.digest,
        }),
      (error) => isCustomsError(error, 'REGISTRY_NOT_CONFIGURED') && error.context.image !== undefined,
    );
    assert.equal(registry.requests.length, before);
  });

  it('gives the configured credentials to that registry host only', async () => {
    const credentials = { username: 'scanner', password: 's3cret' };
    const options = registryClientOptions({ ...registryConfig('r.example'), credentials });
    const source = options.credentials;
    assert.ok(typeof source === 'function');
    assert.deepEqual(await source('r.example'), credentials);
    assert.equal(await source('auth.example'), undefined);
    assert.deepEqual(options.insecureRegistries, ['r.example']);
  });
});
