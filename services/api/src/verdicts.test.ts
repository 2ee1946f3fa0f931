import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { createFakeRegistry, fakeImage } from '@customs/oci/testing';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { createApiApp } from './app.js';
import {
  bearer,
  DEFAULT_POLICY,
  registryConfig,
  startHarness,
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
  REPOSITORY,
  scanFixture,
  serveFixtureImages,
  type FixtureImages,
} from './test-support/fixture-images.js';

const NEVER_SEEN = `sha256:${'0'.repeat(63)}1`;

/** A layer (synthetic) whose only file is `bytes` newlines at `path`. */
async function paddedLayer(path: string, bytes: number): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of tar) if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  })();
  tar.entry({ name: path, mode: 0o644 }, Buffer.alloc(bytes, '\n'));
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`verdicts on ${kind}`, () => {
    let harness: Harness;
    let images: FixtureImages;
    let goof: string;
    let base: string;
    let gomod: string;
    let multi: string;

    before(async () => {
      harness = await startHarness(kind);
      images = await serveFixtureImages();
      goof = (await scanFixture(harness.store, images.registry, 'goof')).digest;
      base = (await scanFixture(harness.store, images.registry, 'base')).digest;
      gomod = (await scanFixture(harness.store, images.registry, 'gomod')).digest;
      multi = (await scanFixture(harness.store, images.registry, 'multi')).digest;
    });
    after(async () => {
      await images.registry.close();
      await harness.close();
    });

    async function verdictOf(digest: string, app = harness.app(), token = harness.tokens.read) {
      const response = await request(app).get(`/v1/images/${digest}/verdict`).set(bearer(token));
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assertContract('getImageVerdict', 200, response.body);
      return response.body;
    }

    it('never passes an image while no vulnerability data was ever imported', async () => {
      const verdict = await verdictOf(base);
      assert.equal(verdict.verdict, 'unknown');
      assert.deepEqual(
        verdict.reasons.map((reason: { code: string }) => reason.code),
        ['NO_VULNERABILITY_DATA'],
      );
      assert.equal(verdict.vulnerabilityData, null);
      assert.equal(verdict.inventory.repository, REPOSITORY);
    });

    it('warns for the goof image when only the two express advisories (MEDIUM) are known', async () => {
      await importRecords(harness.db, EXPRESS_RECORDS);
      const verdict = await verdictOf(goof);
      assert.equal(verdict.verdict, 'warn');
      assert.equal(verdict.digest, goof);
      assert.equal(verdict.ref, null);
      assert.deepEqual(verdict.counts, {
        CRITICAL: 0,
        HIGH: 0,
        MEDIUM: 2,
        LOW: 0,
        NEGLIGIBLE: 0,
        UNKNOWN: 0,
      });
      const [reason] = verdict.reasons;
      assert.equal(reason.code, 'WARN_ON');
      assert.equal(reason.message, '2 MEDIUM findings (warnOn MEDIUM)');
      assert.deepEqual(
        reason.findings
          .map((finding: { id: string; package: string; version: string }) => [
            finding.id,
            finding.package,
            finding.version,
          ])
          .sort(),
        [
          ['CVE-2024-29041', 'express', '4.12.4'],
          ['CVE-2024-43796', 'express', '4.12.4'],
        ],
      );
      assert.equal(verdict.vulnerabilityData.advisories, 2);
      assert.match(verdict.vulnerabilityData.version, /^\d{4}-\d\d-\d\dT.*Z\+2$/);
      assert.deepEqual(verdict.policy, {
        id: verdict.policy.id,
        file: null,
        failOn: 'HIGH',
        warnOn: 'MEDIUM',
        fixableOnly: false,
        incompleteScan: 'error',
        ignoreEntries: 0,
      });
      assert.match(verdict.policy.id, /^policy-[0-9a-f]{16}$/);
      assert.equal(verdict.inventory.platform, 'linux/amd64');
      assert.ok(Date.parse(verdict.inventory.indexedAt) <= Date.now());
      assert.equal(verdict.scan.status, 'done');
      assert.deepEqual(verdict.platforms, []);
    });

    it('passes an image nothing in the data applies to, and says why', async () => {
      const verdict = await verdictOf(base);
      assert.equal(verdict.verdict, 'pass');
      assert.deepEqual(verdict.reasons, [
        {
          code: 'BELOW_THRESHOLDS',
          message: 'no counted finding at or above MEDIUM',
          severity: null,
          count: 0,
          findings: [],
          platform: null,
          rule: 'default',
        },
      ]);
      assert.deepEqual(verdict.rule, { id: 'default', repositories: ['**'] });
    });

    it('answers unknown for a digest never seen, pending while a scan is queued, error once it failed', async () => {
      const unseen = await verdictOf(NEVER_SEEN);
      assert.equal(unseen.verdict, 'unknown');
      assert.equal(unseen.reasons[0].code, 'NOT_SCANNED');
      assert.equal(unseen.scan, null);
      assert.equal(unseen.inventory, null);

      const digest = `sha256:${'0'.repeat(63)}2`;
      const scan = await harness.store.scans.create({
        registry: images.registry.host,
        repository: REPOSITORY,
        digest,
        tag: null,
        trigger: 'api',
      });
      const pending = await verdictOf(digest);
      assert.equal(pending.verdict, 'pending');
      assert.equal(pending.reasons[0].code, 'SCAN_PENDING');
      assert.equal(pending.scan.id, scan.id);
      assert.equal(pending.scan.status, 'queued');

      await harness.store.scans.started(scan.id);
      await harness.store.scans.failed(scan.id, { code: 'MANIFEST_NOT_FOUND', message: 'gone' }, false);
      const retrying = await verdictOf(digest);
      assert.equal(retrying.verdict, 'pending');
      assert.match(retrying.reasons[0].message, /last attempt failed with MANIFEST_NOT_FOUND: gone/);

      await harness.store.scans.failed(scan.id, { code: 'MANIFEST_NOT_FOUND', message: 'gone' }, true);
      const failed = await verdictOf(digest);
      assert.equal(failed.verdict, 'error');
      assert.equal(failed.reasons[0].code, 'SCAN_FAILED');
      assert.equal(failed.reasons[0].message, `scan ${scan.id} failed: MANIFEST_NOT_FOUND: gone`);
      assert.deepEqual(failed.scan.error, { code: 'MANIFEST_NOT_FOUND', message: 'gone' });
    });

    it('honours ignore entries (by id and by alias) until they expire, on a fake clock', async () => {
      let now = new Date('2030-01-15T00:00:00Z');
      const app = harness.app({
        now: () => now,
        tuning: { verdictTtlMs: 3_600_000 },
        policy: {
          ...DEFAULT_POLICY,
          ignore: [
            { id: 'CVE-2024-43796', reason: 'res.redirect is never given user input', expires: '2030-01-31' },
            { id: 'GHSA-rv95-896h-c2vc', reason: 'no open redirects here', expires: '2030-02-15T00:00:00Z' },
          ],
        },
      });
      const ignoredBoth = await verdictOf(goof, app);
      assert.equal(ignoredBoth.verdict, 'pass');
      assert.deepEqual(
        ignoredBoth.ignored
          .map((entry: { id: string; entry: string; expires: string }) => [
            entry.id,
            entry.entry,
            entry.expires,
          ])
          .sort(),
        [
          ['CVE-2024-29041', 'GHSA-rv95-896h-c2vc', '2030-02-15T00:00:00Z'],
          ['CVE-2024-43796', 'CVE-2024-43796', '2030-01-31'],
        ],
      );
      assert.equal(ignoredBoth.policy.ignoreEntries, 2);
      // Cached: asked again at the same moment, the same computation answers.
      assert.equal((await verdictOf(goof, app)).computedAt, ignoredBoth.computedAt);

      now = new Date('2030-02-01T00:00:00Z');
      const oneExpired = await verdictOf(goof, app);
      assert.equal(oneExpired.verdict, 'warn');
      assert.equal(oneExpired.counts.MEDIUM, 1);
      assert.deepEqual(oneExpired.expiredIgnores, [
        {
          entry: 'CVE-2024-43796',
          expires: '2030-01-31',
          findings: [{ id: 'CVE-2024-43796', package: 'express', version: '4.12.4', fixedVersion: '4.20.0' }],
        },
      ]);

      now = new Date('2030-02-15T00:00:00Z');
      const bothExpired = await verdictOf(goof, app);
      assert.equal(bothExpired.verdict, 'warn');
      assert.equal(bothExpired.counts.MEDIUM, 2);
      assert.deepEqual(bothExpired.ignored, []);
    });

    it('covers every platform of an index, worst wins, each listed', async () => {
      const verdict = await verdictOf(multi);
      assert.equal(verdict.verdict, 'warn');
      assert.equal(verdict.inventory, null);
      assert.deepEqual(
        verdict.platforms.map((platform: { digest: string; platform: string; verdict: string }) => [
          platform.platform,
          platform.digest,
          platform.verdict,
        ]),
        [
          ['linux/amd64', goof, 'warn'],
          ['linux/arm64', base, 'pass'],
        ],
      );
      assert.deepEqual(
        verdict.reasons.map((reason: { code: string; platform: string }) => [reason.code, reason.platform]),
        [['WARN_ON', 'linux/amd64']],
      );
      assert.equal(verdict.counts.MEDIUM, 2);
      assert.equal(verdict.scan.status, 'done');
    });

    it('changes the verdict within the poll interval after a new advisory import, without a rescan', async () => {
      const app = harness.app({ tuning: { dataVersionPollMs: 100 } });
      const before = await verdictOf(goof, app);
      assert.equal(before.verdict, 'warn');
      const scansBefore = await harness.store.scans.latestFor(goof);
      await importRecords(harness.db, MORE_RECORDS);
      await new Promise((resolve) => setTimeout(resolve, 150));
      // The first request after the interval starts the lookup and is answered with what the API
      // had; the lookup takes one round trip, so the verdict changes within a few requests.
      let afterImport = await verdictOf(goof, app);
      for (let tries = 0; afterImport.verdict === 'warn' && tries < 50; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        afterImport = await verdictOf(goof, app);
      }
      assert.equal(afterImport.verdict, 'fail');
      assert.notEqual(afterImport.vulnerabilityData.version, before.vulnerabilityData.version);
      assert.equal(afterImport.vulnerabilityData.advisories, 2 + MORE_RECORDS.length);
      assert.equal(afterImport.inventory.indexedAt, before.inventory.indexedAt, 'the same inventory');
      assert.deepEqual(await harness.store.scans.latestFor(goof), scansBefore, 'no scan was made');
      const failOn = afterImport.reasons.filter((reason: { code: string }) => reason.code === 'FAIL_ON');
      assert.deepEqual(
        failOn.map((reason: { severity: string }) => reason.severity),
        ['HIGH'],
      );
      assert.ok(
        failOn[0].findings.some(
          (finding: { id: string; package: string }) =>
            finding.id === 'CVE-2025-15284' && finding.package === 'qs',
        ),
      );
      assert.equal(afterImport.counts.HIGH, failOn[0].count);

      const index = await verdictOf(multi, app);
      assert.equal(index.verdict, 'fail');
      assert.deepEqual(
        index.platforms.map((platform: { verdict: string }) => platform.verdict),
        ['fail', 'pass'],
      );
      assert.equal(index.counts.HIGH, afterImport.counts.HIGH);
    });

    it('counts image configuration findings only as policy.config says (CONFIG_CHECK_FAILED)', async () => {
      const reported = await verdictOf(gomod);
      const ids = reported.configFindings.map((finding: { id: string }) => finding.id);
      assert.deepEqual(ids, ['CFG001', 'CFG007'], 'the fixture config sets no USER and no HEALTHCHECK');
      assert.ok(!reported.reasons.some((reason: { code: string }) => reason.code.startsWith('CONFIG_')));
      const gated = await verdictOf(
        gomod,
        harness.app({ policy: { ...DEFAULT_POLICY, config: { failOn: 'HIGH', warnOn: null } } }),
      );
      assert.equal(gated.verdict, 'fail');
      const config = gated.reasons.find((reason: { code: string }) => reason.code === 'CONFIG_CHECK_FAILED');
      assert.equal(config?.severity, 'HIGH');
      assert.match(config?.message ?? '', /CFG001 Image runs as root \(config\.User\)/);
      assert.notEqual(gated.policy.id, reported.policy.id);
    });

    it('leaves out findings without a fix when the policy is fixable-only', async () => {
      const strict = { ...DEFAULT_POLICY, failOn: 'UNKNOWN' as const };
      const all = await verdictOf(gomod, harness.app({ policy: strict }));
      assert.equal(all.verdict, 'fail');
      assert.equal(all.counts.UNKNOWN, 1);
      assert.equal(all.reasons[0].findings[0].package, 'github.com/docker/docker');
      assert.equal(all.reasons[0].findings[0].fixedVersion, null);
      const fixable = await verdictOf(gomod, harness.app({ policy: { ...strict, fixableOnly: true } }));
      assert.equal(fixable.verdict, 'pass');
      assert.equal(fixable.notFixable, 1);
      assert.equal(fixable.counts.UNKNOWN, 0);
      assert.equal(fixable.policy.fixableOnly, true);
      assert.notEqual(fixable.policy.id, all.policy.id);
    });

    it('never passes an image whose dpkg status was padded past what dpkg reads: error, or warn by policy', async () => {
      const status = 'var/lib/dpkg/status';
      const limit = 64 * 1024 * 1024; // what dpkg reads: @customs/layers' DEFAULT_LIMITS.maxFileBytes
      const padded = fakeImage({
        layers: [await layerOf(LAYERS.debian), await paddedLayer(status, limit + 1)],
        layerMediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        diffIds: [],
      });
      const registry = await createFakeRegistry({ images: { [`${REPOSITORY}:padded`]: padded } });
      try {
        const { digest } = await scanFixture(harness.store, registry, 'padded');
        const verdict = await verdictOf(digest);
        const record = {
          layer: padded.layers[1]?.digest,
          path: status,
          code: 'FILE_TOO_LARGE',
          reason: `${status}: skipped, ${limit + 1} bytes is more than the ${limit} bytes the dpkg analyzer reads`,
        };
        assert.equal(verdict.verdict, 'error');
        assert.deepEqual(verdict.incomplete, [record]);
        assert.deepEqual(verdict.reasons[0], {
          code: 'SCAN_INCOMPLETE',
          message: `layer ${record.layer}: ${record.reason} [FILE_TOO_LARGE]`,
          severity: null,
          count: 1,
          findings: [],
          platform: null,
          rule: 'default',
        });
        assert.equal(verdict.inventory.packages, 0, 'the padded status hides every Debian package');
        const lenient = await verdictOf(
          digest,
          harness.app({ policy: { ...DEFAULT_POLICY, incompleteScan: 'warn' } }),
        );
        assert.equal(lenient.verdict, 'warn');
        assert.equal(lenient.policy.incompleteScan, 'warn');
        assert.equal((await verdictOf(base)).incomplete.length, 0, 'the same base unpadded is complete');
      } finally {
        await registry.close();
      }
    });

    it('judges an inventory stored before completeness was recorded by policy.incompleteScan, not as a pass', async () => {
      const legacy = await imageOf([LAYERS.debian]);
      const registry = await createFakeRegistry({ images: { [`${REPOSITORY}:legacy`]: legacy } });
      try {
        const { digest } = await scanFixture(harness.store, registry, 'legacy');
        assert.equal((await verdictOf(digest)).verdict, 'pass', 'complete as scanned today');
        // What migration 0006 left on every row indexed before it: no completeness record.
        await harness.db.query('update manifests set incomplete = null where digest = $1', [digest]);
        const verdict = await verdictOf(digest);
        assert.equal(verdict.verdict, 'error');
        assert.equal(verdict.reasons[0].code, 'SCAN_INCOMPLETE');
        assert.match(
          verdict.reasons[0].message,
          /taken before Customs recorded files it could not read.*\[COMPLETENESS_UNKNOWN\]$/,
        );
        assert.deepEqual(
          verdict.incomplete.map((record: { code: string }) => record.code),
          ['COMPLETENESS_UNKNOWN'],
        );
        const lenient = harness.app({ policy: { ...DEFAULT_POLICY, incompleteScan: 'warn' } });
        assert.equal((await verdictOf(digest, lenient)).verdict, 'warn');
      } finally {
        await registry.close();
      }
    });

    it('carries the scan warnings of the inventory, not only what matching says', async () => {
      const digest = (await scanFixture(harness.store, images.registry, 'base')).digest;
      const stored = await harness.store.images.get(digest);
      assert.ok(stored);
      await harness.store.images.save(
        {
          ...stored,
          reference: `${stored.registry}/${stored.repository}@${digest}`,
          manifestDigest: digest,
          platform: { os: 'linux', architecture: 'arm64' },
          warnings: [
            'usr/bin/orphan: skipped, a hard link to usr/lib/not-kept, which this layer did not keep',
          ],
          incomplete: [],
        },
        stored,
        { configDigest: stored.configDigest, analyzers: stored.analyzers },
      );
      const verdict = await verdictOf(digest);
      assert.ok(
        verdict.warnings.includes(
          'usr/bin/orphan: skipped, a hard link to usr/lib/not-kept, which this layer did not keep',
        ),
      );
    });

    it('answers by reference through the tags Customs recorded', async () => {
      const app = harness.app({ registries: [registryConfig(images.registry.host)] });
      const ref = `${images.registry.host}/${REPOSITORY}:goof`;
      const byTag = await request(app).get('/v1/verdict').query({ ref }).set(bearer(harness.tokens.read));
      assert.equal(byTag.status, 200);
      assertContract('getReferenceVerdict', 200, byTag.body);
      assert.equal(byTag.body.ref, ref);
      assert.equal(byTag.body.digest, goof);
      assert.equal(byTag.body.verdict, 'fail');

      const byDigest = await request(app)
        .get('/v1/verdict')
        .query({ ref: `${images.registry.host}/${REPOSITORY}@${base}` })
        .set(bearer(harness.tokens.read));
      assert.equal(byDigest.body.digest, base);
      assert.equal(byDigest.body.verdict, 'pass');

      const unseenTag = await request(app)
        .get('/v1/verdict')
        .query({ ref: `${images.registry.host}/${REPOSITORY}:never-pushed` })
        .set(bearer(harness.tokens.read));
      assert.equal(unseenTag.status, 200);
      assertContract('getReferenceVerdict', 200, unseenTag.body);
      assert.equal(unseenTag.body.verdict, 'unknown');
      assert.equal(unseenTag.body.digest, null);
      assert.equal(unseenTag.body.reasons[0].code, 'TAG_NOT_SEEN');

      const elsewhere = await request(app)
        .get('/v1/verdict')
        .query({ ref: 'registry.example.com/team/app:goof' })
        .set(bearer(harness.tokens.read));
      assert.equal(elsewhere.body.verdict, 'unknown');
      assert.match(elsewhere.body.reasons[0].message, /registry registry.example.com is not configured/);

      const invalid = await request(app)
        .get('/v1/verdict')
        .query({ ref: 'Not A Ref' })
        .set(bearer(harness.tokens.read));
      assert.equal(invalid.status, 400);
      assert.equal(invalid.body.error.code, 'INVALID_REFERENCE');
      assertContract('getReferenceVerdict', 400, invalid.body);
    });

    it('computes a verdict once for many concurrent first requests', async () => {
      let lookups = 0;
      const app = createApiApp({
        config: { policy: DEFAULT_POLICY, registries: [] },
        store: harness.store,
        queues: harness.queues,
        vulnReader: {
          affectedFor: (queries) => {
            lookups += 1;
            return harness.reader.affectedFor(queries);
          },
          status: () => harness.reader.status(),
        },
        logger: pino({ level: 'silent' }),
      });
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          request(app).get(`/v1/images/${goof}/verdict`).set(bearer(harness.tokens.read)),
        ),
      );
      assert.deepEqual(new Set(answers.map((answer) => answer.body.computedAt)).size, 1);
      assert.ok(answers.every((answer) => answer.body.verdict === 'fail'));
      assert.equal(lookups, 1);
    });

    it('refuses without a token (401), with the wrong scope (403), and a malformed digest (400)', async () => {
      const app = harness.app();
      const none = await request(app).get(`/v1/images/${goof}/verdict`);
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="customs"');
      assert.equal(none.body.error.code, 'UNAUTHENTICATED');
      assertContract('getImageVerdict', 401, none.body);
      const made_up = await request(app)
        .get(`/v1/images/${goof}/verdict`)
        .set(bearer(`cst_${'x'.repeat(43)}`));
      assert.equal(made_up.status, 401);
      const wrongScope = await request(app)
        .get(`/v1/images/${goof}/verdict`)
        .set(bearer(harness.tokens.write));
      assert.equal(wrongScope.status, 403);
      assert.equal(wrongScope.body.error.code, 'TOKEN_SCOPE_MISSING');
      assertContract('getImageVerdict', 403, wrongScope.body);
      const admin = await request(app).get(`/v1/images/${goof}/verdict`).set(bearer(harness.tokens.admin));
      assert.equal(admin.status, 200, 'admin grants every scope');
      const malformed = await request(app)
        .get('/v1/images/sha256:abc/verdict')
        .set(bearer(harness.tokens.read));
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'REQUEST_INVALID');
      assert.match(malformed.body.error.message, /path\.digest: must match pattern/);
      assertContract('getImageVerdict', 400, malformed.body);
    });
  });
}
