import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { bearer, registryConfig, startHarness, type Harness } from './test-support/api-harness.js';
import {
  EXPRESS_RECORDS,
  importRecords,
  REPOSITORY,
  scanFixture,
  serveFixtureImages,
  type FixtureImages,
} from './test-support/fixture-images.js';

describe('verdicts answer If-None-Match with 304 while they have not changed', () => {
  let harness: Harness;
  let images: FixtureImages;
  let goof: string;

  before(async () => {
    harness = await startHarness('pglite');
    images = await serveFixtureImages();
    goof = (await scanFixture(harness.store, images.registry, 'goof')).digest;
    await importRecords(harness.db, EXPRESS_RECORDS);
  });
  after(async () => {
    await images.registry.close();
    await harness.close();
  });

  for (const [name, path] of [
    ['by digest', () => `/v1/images/${goof}/verdict`],
    [
      'by reference',
      () => `/v1/verdict?ref=${encodeURIComponent(`${images.registry.host}/${REPOSITORY}:goof`)}`,
    ],
  ] as const) {
    it(name, async () => {
      const app = harness.app({ registries: [registryConfig(images.registry.host)] });
      const first = await request(app).get(path()).set(bearer(harness.tokens.read));
      assert.equal(first.status, 200);
      const etag = first.headers.etag;
      assert.match(String(etag), /^"[\w-]{27}"$/);

      const unchanged = await request(app)
        .get(path())
        .set(bearer(harness.tokens.read))
        .set('If-None-Match', `"other", W/${etag}`);
      assert.equal(unchanged.status, 304);
      assert.equal(unchanged.headers.etag, etag);
      assert.equal(unchanged.text, '');

      const other = await request(app)
        .get(path())
        .set(bearer(harness.tokens.read))
        .set('If-None-Match', '"other"');
      assert.equal(other.status, 200);
      assert.deepEqual(other.body, first.body, 'the same cached verdict');
      assert.equal(other.headers.etag, etag);

      const unauthenticated = await request(app).get(path()).set('If-None-Match', String(etag));
      assert.equal(unauthenticated.status, 401, 'a validator is no way around the token');
    });
  }

  it('gives the verdict a new ETag once new data changes it', async () => {
    const app = harness.app({ registries: [registryConfig(images.registry.host)] });
    const path = `/v1/images/${goof}/verdict`;
    const before = await request(app).get(path).set(bearer(harness.tokens.read));
    const { MORE_RECORDS } = await import('./test-support/fixture-images.js');
    await importRecords(harness.db, MORE_RECORDS);
    const after = await request(app)
      .get(path)
      .set(bearer(harness.tokens.read))
      .set('If-None-Match', String(before.headers.etag));
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.etag, before.headers.etag);
    assert.notEqual(after.body.vulnerabilityData.version, before.body.vulnerabilityData.version);
  });
});
