import assert from 'node:assert/strict';
import test from 'node:test';
import { openDatabase } from '@customs/db';
import type { ImageSecrets } from '@customs/model';
import type { Policy } from '@customs/policy';
import type { StoredImage } from '@customs/store';
import { createVulnDbReader, migrateVulnDb } from '@customs/vulndb';
import { judgeInventory } from './judge-image.js';

const secrets: ImageSecrets = {
  findings: [
    {
      ruleId: 'private-key',
      severity: 'CRITICAL',
      title: 'Private key (PEM)',
      path: 'etc/ssl/private/service.key',
      line: 1,
      match: '----****',
      layerIndex: 1,
      layerDigest: 'sha256:l1',
      removedInLayer: 2,
    },
  ],
  scannedFiles: 3,
  skipped: { binary: 0, tooLarge: 0, skippedPath: 0 },
};

const image: StoredImage = {
  digest: 'sha256:m',
  registry: 'r.example',
  repository: 'app',
  platform: 'linux/amd64',
  configDigest: null,
  distro: null,
  layers: [],
  packages: [],
  warnings: [],
  incomplete: [],
  labels: null,
  imageConfig: null,
  secrets,
  analyzers: [],
  indexedAt: new Date(0),
};

const policy: Policy = { failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] };

test('secrets in the layers fail the verdict by default (SECRETS_FOUND); policy.secrets warns or ignores', async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateVulnDb(db);
    const context = { reader: await createVulnDbReader(db), now: new Date(), scan: null };
    const failed = (await judgeInventory(image, { ...context, policy })).verdict;
    assert.equal(failed.verdict, 'fail');
    assert.deepEqual(
      failed.reasons.map((reason) => [reason.code, reason.severity, reason.count]),
      [
        ['BELOW_THRESHOLDS', null, 0],
        ['SECRETS_FOUND', 'CRITICAL', 1],
      ],
    );
    assert.match(failed.reasons[1]?.message ?? '', /removed in layer 2 but still extractable/);
    const warned = await judgeInventory(image, { ...context, policy: { ...policy, secrets: 'warn' } });
    assert.equal(warned.verdict.verdict, 'warn');
    const ignored = await judgeInventory(image, { ...context, policy: { ...policy, secrets: 'ignore' } });
    assert.equal(ignored.verdict.verdict, 'pass');
    const unscanned = await judgeInventory({ ...image, secrets: null }, { ...context, policy });
    assert.equal(unscanned.verdict.verdict, 'pass');
  } finally {
    await db.close();
  }
});
