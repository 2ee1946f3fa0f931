import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImageSecrets } from '@customs/model';
import request from 'supertest';
import { bearer } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';
import { startSeeded, type Seeded } from './test-support/seeded.js';

// Redacted findings as the worker's secret scanner stores them with the manifest (migration 0012).
const secrets: ImageSecrets = {
  findings: [
    {
      ruleId: 'private-key',
      severity: 'CRITICAL',
      title: 'Private key (PEM)',
      path: 'etc/ssl/private/service.key',
      line: 1,
      match: '----****',
      layerIndex: 0,
      layerDigest: 'sha256:' + 'a'.repeat(64),
      removedInLayer: 1,
    },
  ],
  scannedFiles: 42,
  skipped: { binary: 7, tooLarge: 0, skippedPath: 0 },
};

let seeded: Seeded;

before(async () => {
  seeded = await startSeeded();
  const stored = await seeded.harness.store.images.get(seeded.goof);
  assert.ok(stored);
  await seeded.harness.store.images.save(
    {
      ...stored,
      reference: `${stored.registry}/${stored.repository}@${seeded.goof}`,
      manifestDigest: seeded.goof,
      platform: { os: 'linux', architecture: 'amd64' },
      incomplete: stored.incomplete ?? [],
      secrets,
    },
    { registry: stored.registry, repository: stored.repository },
    { configDigest: stored.configDigest, analyzers: stored.analyzers },
  );
});
after(() => seeded.close());

describe('secrets in the API', () => {
  it('the report carries the secrets section, within the contract', async () => {
    const response = await request(seeded.app)
      .get(`/v1/images/${seeded.goof}/report`)
      .set(bearer(seeded.harness.tokens.read));
    assert.equal(response.status, 200);
    assertContract('getImageReport', 200, response.body);
    assert.deepEqual(response.body.secrets, secrets);
  });

  it('the verdict names them with SECRETS_FOUND, within the contract', async () => {
    const response = await request(seeded.app)
      .get(`/v1/images/${seeded.goof}/verdict`)
      .set(bearer(seeded.harness.tokens.read));
    assert.equal(response.status, 200);
    assertContract('getImageVerdict', 200, response.body);
    assert.equal(response.body.verdict, 'fail');
    const reason = response.body.reasons.find((r: { code: string }) => r.code === 'SECRETS_FOUND');
    assert.equal(reason?.count, 1);
    assert.match(
      reason?.message ?? '',
      /private-key in etc\/ssl\/private\/service\.key \(layer 0, removed in layer 1/,
    );
  });
});
