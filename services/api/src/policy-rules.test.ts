import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createFakeRegistry, fakeImage, type FakeRegistry } from '@customs/oci/testing';
import { openPolicyFile, type PolicySource } from '@customs/policy';
import { createSecretScanner } from '@customs/secrets';
import type express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createApiApp } from './app.js';
import {
  bearer,
  DEFAULT_POLICY,
  registryConfig,
  startHarness,
  TEST_TUNING,
  type Harness,
} from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';
import {
  EXPRESS_RECORDS,
  imageOf,
  importRecords,
  LAYERS,
  layerOf,
  MORE_RECORDS,
  scanFixture,
} from './test-support/fixture-images.js';

// Two teams' images in one Customs: team-a's goof image (npm advisories up to HIGH) and team-b's go.mod
// image (the unfixed, unrated GO-2026-4883 in github.com/docker/docker, counted as HIGH). A policy file
// (generated for these tests) gives each team its rule; tokens are limited to one team's repositories.

const policyFile = (teamAFailOn: string) => `version: 1
rules:
  - id: team-a
    repositories: ["team-a/**"]
    failOn: ${teamAFailOn}
    warnOn: HIGH
  - id: labelled
    repositories: ["team-l/*"]
    requiredLabels: [org.opencontainers.image.source]
  - id: no-root
    repositories: ["team-r/*"]
    denyRunAsRoot: true
  - id: no-secrets
    repositories: ["team-s/*"]
    denySecrets: true
exceptions:
  - id: GO-2026-4883
    package: github.com/docker/docker
    expires: 2030-01-31
    justification: the docker client is linked but never talks to a daemon
    repositories: ["team-b/**"]
`;

type VerdictBody = {
  verdict: string;
  rule: { id: string; repositories: string[] } | null;
  policy: { id: string; file: string | null; failOn: string };
  reasons: Array<{ code: string; message: string; rule?: string }>;
  ignored: Array<{ entry: string; reason: string }>;
  expiredIgnores: Array<{ entry: string; expires: string }>;
};

describe('per-repository policy rules and repository-scoped tokens', () => {
  let harness: Harness;
  let registry: FakeRegistry;
  let dir: string;
  let file: string;
  let policies: PolicySource;
  let app: express.Express;
  let now = new Date('2030-01-15T00:00:00Z');
  const digests = {
    teamA: '',
    teamB: '',
    labelled: '',
    unlabelled: '',
    root: '',
    nonRoot: '',
    secretsUnscanned: '',
    secretsScanned: '',
  };

  before(async () => {
    harness = await startHarness('pglite');
    registry = await createFakeRegistry({
      images: {
        'team-a/api:goof': await imageOf([LAYERS.debian, LAYERS.goof]),
        'team-b/api:gomod': await imageOf([LAYERS.gomod]),
        'team-l/with:v1': await debianWithLabels({
          'org.opencontainers.image.source': 'https://git.example/l',
        }),
        'team-l/without:v1': await debianWithLabels({ maintainer: 'team-l' }),
        'team-r/root:v1': await debianWithLabels({}),
        'team-r/app:v1': await debianWithLabels({}, 'app'),
        // Two labels apart, so two digests: one indexed without the secret scanner, one with it.
        'team-s/unscanned:v1': await debianWithLabels({ scanned: 'no' }, 'app'),
        'team-s/scanned:v1': await debianWithLabels({ scanned: 'yes' }, 'app'),
      },
    });
    digests.labelled = (await scanFixture(harness.store, registry, 'v1', 'team-l/with')).digest;
    digests.unlabelled = (await scanFixture(harness.store, registry, 'v1', 'team-l/without')).digest;
    digests.root = (await scanFixture(harness.store, registry, 'v1', 'team-r/root')).digest;
    digests.nonRoot = (await scanFixture(harness.store, registry, 'v1', 'team-r/app')).digest;
    digests.secretsUnscanned = (await scanFixture(harness.store, registry, 'v1', 'team-s/unscanned')).digest;
    const withSecrets = { secrets: createSecretScanner() };
    digests.secretsScanned = (
      await scanFixture(harness.store, registry, 'v1', 'team-s/scanned', withSecrets)
    ).digest;
    digests.teamA = (await scanFixture(harness.store, registry, 'goof', 'team-a/api')).digest;
    digests.teamB = (await scanFixture(harness.store, registry, 'gomod', 'team-b/api')).digest;
    await importRecords(harness.db, [...EXPRESS_RECORDS, ...MORE_RECORDS]);
    dir = await mkdtemp(join(tmpdir(), 'customs-api-policy-'));
    file = join(dir, 'policy.yaml');
    await writeFile(file, policyFile('CRITICAL'));
    policies = await openPolicyFile({
      file,
      defaults: DEFAULT_POLICY,
      onError: (error) => assert.fail(String(error)),
      watchFile: false,
    });
    app = createApiApp({
      config: { policy: { ...DEFAULT_POLICY, file }, registries: [registryConfig(registry.host)] },
      store: harness.store,
      queues: harness.queues,
      vulnReader: harness.reader,
      logger: pino({ level: 'silent' }),
      policies,
      now: () => now,
      // Verdicts kept for an hour: only a new policy version (or data version) may change one.
      tuning: { ...TEST_TUNING, verdictTtlMs: 3_600_000 },
    });
  });
  after(async () => {
    policies.close();
    await rm(dir, { recursive: true, force: true });
    await registry.close();
    await harness.close();
  });

  async function verdict(digest: string, token = harness.tokens.read): Promise<VerdictBody> {
    const answer = await request(app).get(`/v1/images/${digest}/verdict`).set(bearer(token));
    assert.equal(answer.status, 200, answer.text);
    assertContract('getImageVerdict', 200, answer.body);
    return answer.body as VerdictBody;
  }

  it('judges each image by the first rule matching its repository, and the verdict names that rule', async () => {
    const teamA = await verdict(digests.teamA);
    assert.equal(teamA.verdict, 'warn', 'team-a fails only on CRITICAL');
    assert.deepEqual(teamA.rule, { id: 'team-a', repositories: ['team-a/**'] });
    assert.ok(teamA.reasons.every((reason) => reason.rule === 'team-a'));
    assert.equal(teamA.policy.id, policies.current().version);
    assert.equal(teamA.policy.file, file);
    assert.equal(teamA.policy.failOn, 'CRITICAL');

    const teamB = await verdict(digests.teamB);
    assert.deepEqual(teamB.rule, { id: 'default', repositories: ['**'] });
    assert.equal(teamB.policy.failOn, 'HIGH');
  });

  it('denyRunAsRoot fails an image whose stored config runs as root, from the config checks, and not one with a USER', async () => {
    const root = await verdict(digests.root);
    assert.equal(root.verdict, 'fail');
    assert.deepEqual(root.rule, { id: 'no-root', repositories: ['team-r/*'] });
    assert.ok(root.reasons.some((reason) => reason.code === 'RUNS_AS_ROOT'));
    const nonRoot = await verdict(digests.nonRoot);
    assert.ok(!nonRoot.reasons.some((reason) => reason.code === 'RUNS_AS_ROOT'));
  });

  it('denyRunAsRoot still fails a root image whose layers were never scanned for secrets', async () => {
    assert.equal((await harness.store.images.get(digests.root))?.secrets, null);
    const root = await verdict(digests.root);
    assert.equal(root.verdict, 'fail');
    assert.deepEqual(
      root.reasons.map((reason) => reason.code),
      ['RUNS_AS_ROOT', 'BELOW_THRESHOLDS'],
    );
  });

  it('denySecrets does not pass an image stored with its config but no secret results', async () => {
    assert.equal((await harness.store.images.get(digests.secretsUnscanned))?.secrets, null);
    const unscanned = await verdict(digests.secretsUnscanned);
    assert.equal(unscanned.verdict, 'error');
    assert.equal(unscanned.rule?.id, 'no-secrets');
    assert.deepEqual(unscanned.reasons[0], {
      code: 'SCAN_INCOMPLETE',
      message:
        'denySecrets needs the secret scan of every layer, and this image was indexed without it; scan it again',
      severity: null,
      count: 1,
      findings: [],
      platform: null,
      rule: 'no-secrets',
    });
  });

  it('denySecrets passes an image whose every layer the secret scanner read and found clean', async () => {
    assert.deepEqual((await harness.store.images.get(digests.secretsScanned))?.secrets?.findings, []);
    const scanned = await verdict(digests.secretsScanned);
    assert.equal(scanned.verdict, 'pass', JSON.stringify(scanned.reasons));
    assert.equal(scanned.rule?.id, 'no-secrets');
  });

  it('applies an exception until it expires; after that the finding counts again and the exception is reported expired', async () => {
    const before = await verdict(digests.teamB);
    assert.equal(before.verdict, 'pass');
    assert.deepEqual(
      before.ignored.map((entry) => [entry.entry, entry.reason]),
      [['GO-2026-4883', 'the docker client is linked but never talks to a daemon']],
    );
    now = new Date('2030-02-01T00:00:00Z');
    const after = await verdict(digests.teamB);
    assert.equal(after.verdict, 'fail');
    assert.deepEqual(after.ignored, []);
    assert.deepEqual(
      after.expiredIgnores.map((entry) => [entry.entry, entry.expires]),
      [['GO-2026-4883', '2030-01-31']],
    );
  });

  it('judges by the reloaded file at once: the policy version is part of the cache key', async () => {
    const before = await verdict(digests.teamA);
    await writeFile(file, policyFile('HIGH'));
    await policies.reload();
    const after = await verdict(digests.teamA);
    assert.notEqual(after.policy.id, before.policy.id);
    assert.equal(after.verdict, 'fail');
    assert.equal(after.reasons[0]?.code, 'FAIL_ON');
    assert.equal(after.reasons[0]?.rule, 'team-a');
  });

  it('requires the labels a rule names, from the image config the worker stored', async () => {
    const labelled = await verdict(digests.labelled);
    assert.equal(labelled.verdict, 'pass', JSON.stringify(labelled.reasons));
    assert.equal(labelled.rule?.id, 'labelled');
    const unlabelled = await verdict(digests.unlabelled);
    assert.equal(unlabelled.verdict, 'fail');
    assert.deepEqual(unlabelled.reasons[0], {
      code: 'LABEL_MISSING',
      message: 'missing required label org.opencontainers.image.source (rule labelled)',
      severity: null,
      count: 1,
      findings: [],
      platform: null,
      rule: 'labelled',
    });
  });

  describe('a token limited to team-a/**', () => {
    let teamToken = '';
    let teamScanner = '';

    before(async () => {
      const create = async (scopes: string[]) => {
        const answer = await request(app)
          .post('/v1/tokens')
          .set(bearer(harness.tokens.admin))
          .send({ name: `team-a ${scopes.join('+')}`, scopes, repositories: ['team-a/**'] });
        assert.equal(answer.status, 201, answer.text);
        assertContract('createToken', 201, answer.body);
        assert.deepEqual(answer.body.info.repositories, ['team-a/**']);
        return answer.body.token as string;
      };
      teamToken = await create(['verdicts:read']);
      teamScanner = await create(['scans:write']);
    });

    it("reads its team's verdict, report and SBOM", async () => {
      assert.equal((await verdict(digests.teamA, teamToken)).rule?.id, 'team-a');
      for (const path of ['report', 'sbom']) {
        const answer = await request(app).get(`/v1/images/${digests.teamA}/${path}`).set(bearer(teamToken));
        assert.equal(answer.status, 200, `${path}: ${answer.text}`);
      }
    });

    it("gets 403 TOKEN_REPOSITORY_FORBIDDEN on another team's image, by digest, by reference and for a scan", async () => {
      const refused = [
        await request(app).get(`/v1/images/${digests.teamB}/verdict`).set(bearer(teamToken)),
        await request(app)
          .get('/v1/verdict')
          .query({ ref: `${registry.host}/team-b/api:gomod` })
          .set(bearer(teamToken)),
        await request(app)
          .get('/v1/verdict')
          .query({ ref: `${registry.host}/team-a/api@${digests.teamB}` })
          .set(bearer(teamToken)),
        await request(app).get(`/v1/images/${digests.teamB}/report`).set(bearer(teamToken)),
        await request(app).get(`/v1/images/${digests.teamB}/sbom`).set(bearer(teamToken)),
        await request(app)
          .post('/v1/scans')
          .set(bearer(teamScanner))
          .send({ ref: `${registry.host}/team-b/api:gomod` }),
      ];
      for (const answer of refused) {
        assert.equal(answer.status, 403, answer.text);
        assert.equal(answer.body.error.code, 'TOKEN_REPOSITORY_FORBIDDEN');
        assert.match(answer.body.error.message, /this token is limited to team-a\/\*\*/);
      }
      assertContract('getImageVerdict', 403, refused[0]?.body);
      const unseen = `sha256:${'9'.repeat(64)}`;
      const unknown = await request(app).get(`/v1/images/${unseen}/verdict`).set(bearer(teamToken));
      assert.equal(unknown.status, 403, 'a digest in no known repository is not in the token’s');
      assert.equal((await verdict(digests.teamB)).rule?.id, 'default', 'an unlimited token reads it');
    });

    it("leaves other teams' images out of package searches", async () => {
      const answer = await request(app)
        .get('/v1/images')
        .query({ package: 'qs', type: 'npm' })
        .set(bearer(teamToken));
      assert.equal(answer.status, 200, answer.text);
      const repositories = new Set(
        (answer.body.images as Array<{ repository: string }>).map((image) => image.repository),
      );
      assert.deepEqual([...repositories], ['team-a/api']);
    });

    it('may not be an admin token', async () => {
      const answer = await request(app)
        .post('/v1/tokens')
        .set(bearer(harness.tokens.admin))
        .send({ name: 'root of team-a', scopes: ['admin'], repositories: ['team-a/**'] });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'INVALID_TOKEN_SCOPE');
    });
  });
});

/** Debian 12 only (nothing in the imported data applies), with these labels in its config. */
async function debianWithLabels(labels: Record<string, string>, user?: string) {
  return fakeImage({
    layers: [await layerOf(LAYERS.debian)],
    layerMediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    diffIds: [],
    runtime: { Env: ['PATH=/usr/bin:/bin'], Labels: labels, ...(user && { User: user }) },
  });
}
