import assert from 'node:assert/strict';
import test from 'node:test';
import { openDatabase } from '@customs/db';
import { redactImageConfig } from '@customs/imageconfig';
import type { ImageSecrets } from '@customs/model';
import { readPolicyFile, type Policy } from '@customs/policy';
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

// A rule (generated for this test) with denySecrets only; policy.secrets ignores, so only the rule decides.
const denySecrets = readPolicyFile(
  'version: 1\nrules:\n  - id: no-secrets\n    repositories: ["app"]\n    denySecrets: true\n',
  'policy.yaml',
  { ...policy, secrets: 'ignore' },
);
const configured = { ...image, imageConfig: { config: { User: 'app' } } };

test('denySecrets reads the layers only when every layer was scanned for secrets; ENV secrets count either way', async () => {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateVulnDb(db);
    const context = {
      reader: await createVulnDbReader(db),
      now: new Date(),
      scan: null,
      policy: denySecrets,
    };
    const judge = async (stored: StoredImage) => (await judgeInventory(stored, context)).verdict;
    const codes = (verdict: { reasons: Array<{ code: string }> }) => verdict.reasons.map(({ code }) => code);

    const unscanned = await judge({ ...configured, secrets: null });
    assert.equal(unscanned.verdict, 'error', 'a stored config without secret results is not clean');
    assert.deepEqual(codes(unscanned), ['SCAN_INCOMPLETE', 'BELOW_THRESHOLDS']);
    assert.match(unscanned.reasons[0]?.message ?? '', /denySecrets needs the secret scan of every layer/);

    const clean = await judge({ ...configured, secrets: { ...secrets, findings: [] } });
    assert.equal(clean.verdict, 'pass');
    const found = await judge(configured);
    assert.equal(found.verdict, 'fail');
    assert.deepEqual(codes(found), ['SECRET_FOUND', 'BELOW_THRESHOLDS']);

    const env = redactImageConfig({
      config: { User: 'app', Env: ['DB_PASSWORD=hunter2-not-a-placeholder'] },
    });
    const inEnv = await judge({ ...configured, imageConfig: env, secrets: null });
    assert.equal(inEnv.verdict, 'fail', 'an ENV secret fails whether or not the layers were scanned');
    assert.deepEqual(codes(inEnv), ['SECRET_FOUND', 'SCAN_INCOMPLETE', 'BELOW_THRESHOLDS']);
  } finally {
    await db.close();
  }
});
