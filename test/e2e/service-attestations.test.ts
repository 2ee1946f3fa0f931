// The service with `attestations.push`: a push to the real registry is scanned by a `customs worker`
// process, which pushes the SBOM and a signed vulnerability attestation back to that registry. They are
// found through the sha256-<hex> fallback tag with plain HTTP, and openssl verifies the signature over a
// PAE built without Customs code; the key is in no process log.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import {
  DSSE_MEDIA_TYPE,
  dssePae,
  keyLines,
  opensslKeyPair,
  opensslVerifies,
  PlainRepository,
  type Envelope,
} from '../support/referrers-oracle.js';
import { startServiceStack, type ServiceStack } from '../support/service-stack.js';
import { pushImage } from '../support/skopeo.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);

describe('customs worker with attestations.push, fed by a real registry', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);
  let dir = '';
  let keys: { key: string; publicKey: string };
  let stack: ServiceStack;

  before(
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'customs-e2e-service-attest-'));
      keys = await opensslKeyPair(dir, 'ec');
      stack = await startServiceStack({ workers: 1, attestationKeyFile: keys.key });
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test(
    'a pushed image gets its SBOM and a signed attestation as referrers',
    { timeout: 120_000 },
    async () => {
      const credentials = {
        username: stack.registry.username ?? '',
        password: stack.registry.password ?? '',
      };
      await pushImage(images.layout, 'app', `${stack.registry.host}/e2e/app:1.0`, { creds: credentials });
      const { verdict } = await stack.api.waitForVerdict(truth.app.digest, {
        timeoutMs: 90_000,
        intervalMs: 100,
      });
      assert.equal(verdict.verdict, 'fail', 'the app image has findings at or above HIGH');

      const repository = new PlainRepository(stack.registry.host, 'e2e/app', credentials);
      const referrers = await repository.fallbackReferrers(truth.app.digest);
      assert.deepEqual(referrers.map((entry) => entry.artifactType).sort(), [
        'application/spdx+json',
        DSSE_MEDIA_TYPE,
      ]);
      const spdx = referrers.find((entry) => entry.artifactType === 'application/spdx+json');
      assert.ok(spdx);
      const sbom = JSON.parse((await repository.referrerLayer(spdx, truth.app.digest)).toString()) as {
        spdxVersion: string;
        packages: unknown[];
      };
      assert.equal(sbom.spdxVersion, 'SPDX-2.3');
      assert.ok(sbom.packages.length > 50, `${sbom.packages.length} packages`);
      const attestation = referrers.find((entry) => entry.artifactType === DSSE_MEDIA_TYPE);
      assert.ok(attestation);
      const envelope = JSON.parse(
        (await repository.referrerLayer(attestation, truth.app.digest)).toString(),
      ) as Envelope;
      const payload = Buffer.from(envelope.payload, 'base64');
      const signature = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
      assert.ok(
        await opensslVerifies(dir, 'ec', keys.publicKey, dssePae(envelope.payloadType, payload), signature),
      );

      const statement = JSON.parse(payload.toString()) as {
        subject: Array<{ digest: { sha256: string } }>;
        predicate: { scanner: { result: { manifestDigest: string; findings: Array<{ id: string }> } } };
      };
      assert.equal(statement.subject[0]?.digest.sha256, truth.app.digest.slice('sha256:'.length));
      const { result } = statement.predicate.scanner;
      assert.equal(result.manifestDigest, truth.app.digest);
      const failing = verdict.reasons.flatMap((reason) => reason.findings.map((finding) => finding.id));
      assert.ok(failing.length > 0);
      const attested = new Set(result.findings.map((finding) => finding.id));
      for (const id of failing)
        assert.ok(attested.has(id), `${id}, failing the verdict, is in the attestation`);

      // The registry notifies about the referrers as pushes too: recorded as artifacts, never failures.
      const artifacts = referrers.map((entry) => entry.digest);
      const settled = async () =>
        stack.db.query<{ status: string; code: string | null }>(
          `select status, error->>'code' as code from scans where digest = any($1) and status not in ('queued', 'running')`,
          [artifacts],
        );
      const deadline = Date.now() + 30_000;
      let rows = await settled();
      while (rows.length < artifacts.length && Date.now() < deadline) {
        await sleep(100);
        rows = await settled();
      }
      assert.deepEqual(
        rows.map((row) => row.code),
        artifacts.map(() => 'NOT_AN_IMAGE'),
        'each referrer the registry announced is recorded as not an image',
      );
      const deadLetters = await stack.db.query<{ count: number }>(
        'select count(*)::int as count from dead_letters',
      );
      assert.equal(deadLetters[0]?.count, 0, 'no artifact left a dead letter');

      const logs = await Promise.all(
        [stack.webhook, stack.apiProcess, ...stack.workers].map((role) => readFile(role.logFile, 'utf8')),
      );
      assert.ok(
        logs.some((log) => log.includes('attestation pushed')),
        'the worker says it pushed',
      );
      for (const line of keyLines(await readFile(keys.key, 'utf8')))
        for (const log of [...logs, await readFile(stack.registry.logFile, 'utf8')])
          assert.ok(!log.includes(line), 'the private key is in no log');
    },
  );
});
