// Customs as an operator deploys it: `customs webhook`, `customs api` and two `customs worker`
// processes (services/cli/bin/customs.js), sharing a throwaway PostgreSQL database and a throwaway
// append-only Redis, fed by a real docker-registry (htpasswd auth) whose notifications go to the
// webhook process. Images are the real e2e images (test/e2e/images) and variants of `app` built here;
// vulnerability data is the real OSV records of test/fixtures/osv, imported with `customs db import`.
// Verdicts are read from the API only; what the workers fetched is read from the registry's access log.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import { readImage, writeVariantLayout, type NewLayer, type Variant } from '../support/image-variants.js';
import { waitForAnyLog, type RoleProcess } from '../support/service-role.js';
import { settleAll, startServiceStack, type ServiceStack } from '../support/service-stack.js';
import { pushImage } from '../support/skopeo.js';
import { assertNpmFindings, predictNpmFindings } from '../support/verdict-oracle.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);

const FLEET = Array.from({ length: 20 }, (_, i) => `fleet-${String(i + 1).padStart(2, '0')}`);
const PATIENCE = { timeoutMs: 90_000, intervalMs: 50 };

describe(
  'customs webhook | api | worker as separate processes, fed by a real registry',
  { skip: e2e.skip },
  () => {
    const images = e2e.images();
    const truth = loadGroundTruth(images.expected);
    const predicted = predictNpmFindings(truth.npm);
    let stack: ServiceStack;
    let scratch = '';
    let variants = '';
    let digests = new Map<string, string>();

    before(
      async () => {
        scratch = await mkdtemp(join(tmpdir(), 'customs-e2e-variants-'));
        variants = join(scratch, 'oci');
        const app = await readImage(images.layout, 'app');
        // Settled, not Promise.all: a stack that started must be stopped even if the variants failed.
        await settleAll([
          startServiceStack({ workers: 2, lockSeconds: 2 }).then((started) => (stack = started)),
          writeVariantLayout(images.layout, 'app', variants, variantsOf(app.manifest.layers)).then(
            (built) => (digests = built),
          ),
        ]);
      },
      { timeout: 180_000 },
    );
    after(async () => {
      await stack?.stop();
      await rm(scratch, { recursive: true, force: true });
    });

    const ref = (repositoryAndTag: string) => `${stack.registry.host}/${repositoryAndTag}`;
    const push = (layout: string, tag: string, to: string) =>
      pushImage(layout, tag, ref(to), {
        creds: { username: stack.registry.username ?? '', password: stack.registry.password ?? '' },
      });
    const digestOf = (tag: string) => {
      const digest = digests.get(tag);
      if (digest === undefined) throw new Error(`no variant ${tag}`);
      return digest;
    };
    /** Blobs fetched since `before`, per digest (only the ones fetched at all). */
    const fetchedSince = async (earlier: Map<string, number>) => {
      const now = await stack.registry.blobGets();
      return new Map(
        [...now].flatMap(([digest, n]) =>
          n > (earlier.get(digest) ?? 0) ? [[digest, n - (earlier.get(digest) ?? 0)]] : [],
        ),
      );
    };
    const blobsOf = async (layout: string, tag: string) => {
      const image = await readImage(layout, tag);
      return {
        config: image.manifest.config.digest,
        layers: image.manifest.layers.map((layer) => layer.digest),
      };
    };

    test(
      'a push of app: its verdict, from the API alone, is what the OSV records predict; each blob fetched once',
      { timeout: 120_000 },
      async () => {
        await push(images.layout, 'app', 'e2e/app:1.0');
        const { verdict } = await stack.api.waitForVerdict(truth.app.digest, PATIENCE);
        assertNpmFindings(verdict, predicted);
        const byRef = await stack.api.verdictOf(ref('e2e/app:1.0'));
        assert.deepEqual(
          [byRef.digest, byRef.verdict, byRef.counts],
          [truth.app.digest, 'fail', verdict.counts],
        );
        const blobs = await blobsOf(images.layout, 'app');
        assert.deepEqual(
          sorted(await stack.registry.blobGets()),
          sorted(new Map([blobs.config, ...blobs.layers].map((digest) => [digest, 1]))),
          'the config and each of the 4 layers fetched exactly once, nothing else',
        );
      },
    );

    test(
      'a second image on the same base fetches only its new layer (and its config)',
      { timeout: 120_000 },
      async () => {
        const earlier = await stack.registry.blobGets();
        await push(variants, 'app-plus', 'e2e/app:plus');
        const { verdict } = await stack.api.waitForVerdict(digestOf('app-plus'), PATIENCE);
        assertNpmFindings(verdict, predicted);
        const blobs = await blobsOf(variants, 'app-plus');
        assert.deepEqual(
          sorted(await fetchedSince(earlier)),
          sorted(new Map([blobs.config, blobs.layers.at(-1) ?? ''].map((digest) => [digest, 1]))),
        );
        const scan = await stack.api.scan(verdict.scan?.id ?? '');
        assert.deepEqual([scan.status, scan.attempts, scan.trigger], ['done', 1, 'webhook']);
      },
    );

    test(
      'two workers, 20 images sharing a new base layer pushed at once: every verdict, no blob fetched twice',
      { timeout: 180_000 },
      async () => {
        const earlier = await stack.registry.blobGets();
        const logLinesBefore = await Promise.all(
          stack.workers.map(async (worker) => (await worker.logs()).length),
        );
        // One repository per image, as 20 services on one base would be. (Concurrent pushes into one new
        // repository trip a race in distribution 2.8's filesystem driver: a HEAD reads a blob link while
        // another request writes it and answers 500 "invalid checksum digest format".)
        await Promise.all(FLEET.map((tag) => push(variants, tag, `e2e/${tag}:1.0`)));
        const verdicts = await Promise.all(
          FLEET.map((tag) => stack.api.waitForVerdict(digestOf(tag), PATIENCE)),
        );
        for (const { verdict } of verdicts) assertNpmFindings(verdict, predicted);

        const expected = new Map<string, number>();
        for (const tag of FLEET) {
          const blobs = await blobsOf(variants, tag);
          // app's 4 layers were analysed by the first test; the shared layer and the image's own are new
          for (const digest of [blobs.config, ...blobs.layers.slice(4)]) expected.set(digest, 1);
        }
        assert.equal(expected.size, 20 + 1 + 20, '20 configs, the shared layer, 20 own layers');
        assert.deepEqual(
          sorted(await fetchedSince(earlier)),
          sorted(expected),
          'each new blob fetched exactly once',
        );

        const shared = (await blobsOf(variants, FLEET[0] ?? '')).layers[4];
        const scansPerWorker: number[] = [];
        let sharedDownloads = 0;
        for (const [i, worker] of stack.workers.entries()) {
          const lines = (await worker.logs()).slice(logLinesBefore[i]);
          scansPerWorker.push(lines.filter((line) => line.msg === 'scan done').length);
          sharedDownloads += lines.filter(
            (line) => line.msg === 'layer downloading' && line.layer === shared,
          ).length;
        }
        assert.equal(sharedDownloads, 1, 'the shared layer was downloaded by one worker, once');
        assert.equal(
          scansPerWorker.reduce((a, b) => a + b),
          20,
          `scans per worker: ${scansPerWorker.join(', ')}`,
        );
        assert.ok(
          scansPerWorker.every((n) => n > 0),
          `both workers scanned: ${scansPerWorker.join(', ')}`,
        );
      },
    );

    test(
      'kill -9 of a worker while it downloads a big layer: the other worker finishes the job; nothing is lost',
      { timeout: 180_000 },
      async () => {
        const earlier = await stack.registry.blobGets();
        const big = await blobsOf(variants, 'big');
        const bigLayer = big.layers.at(-1) ?? '';
        const live = stack.workers.filter((worker) => worker.running());
        await push(variants, 'big', 'e2e/app:big');
        const { process: victim } = await waitForAnyLog(
          live,
          (line) => line.msg === 'layer downloading' && line.layer === bigLayer,
          90_000,
        );
        await victim.kill();
        const killedAt = performance.now();
        // A push while one worker is dead and the other may be busy with the orphaned job's retry.
        await push(variants, 'during-recovery', 'e2e/app:during-recovery');

        const { verdict } = await stack.api.waitForVerdict(digestOf('big'), PATIENCE);
        const recoveredMs = performance.now() - killedAt;
        assertNpmFindings(verdict, predicted);
        const scan = await stack.api.scan(verdict.scan?.id ?? '');
        assert.deepEqual([scan.status, scan.attempts], ['done', 2], 'done on the second attempt');
        const doneBy = async (worker: RoleProcess) =>
          (await worker.logs()).some((line) => line.msg === 'scan done' && line.scanId === scan.id);
        const rescuer = live.find((worker) => worker !== victim);
        assert.ok(rescuer && (await doneBy(rescuer)), 'the surviving worker finished it');
        assert.equal(await doneBy(victim), false, 'the killed worker never finished it');
        // lockSeconds 2: the job's lock and the layer's lease both lapse within seconds, not the 30 s default
        assert.ok(recoveredMs < 20_000, `verdict ${Math.round(recoveredMs)} ms after the kill`);

        const during = await stack.api.waitForVerdict(digestOf('during-recovery'), PATIENCE);
        assertNpmFindings(during.verdict, predicted);
        const recovery = await blobsOf(variants, 'during-recovery');
        const fetched = await fetchedSince(earlier);
        const bigFetches = fetched.get(bigLayer) ?? 0;
        assert.ok(
          bigFetches === 1 || bigFetches === 2,
          `the big layer: by the victim (cut short) and the rescuer: ${bigFetches}`,
        );
        fetched.delete(bigLayer);
        assert.deepEqual(
          sorted(fetched),
          sorted(
            new Map([
              [big.config, 2],
              [recovery.config, 1],
              [recovery.layers.at(-1) ?? '', 1],
            ]),
          ),
          "the big image's config by both workers; the other image's new blobs once; app's layers never again",
        );
      },
    );

    test(
      'Redis restarted between the webhook queuing a scan and any worker running: the scan still happens',
      { timeout: 180_000 },
      async () => {
        await Promise.all(stack.workers.map((worker) => worker.stop()));
        const digest = digestOf('across-redis-restart');
        await push(variants, 'across-redis-restart', 'e2e/app:across-redis-restart');
        const queued = await stack.webhook.waitForLog(
          (line) => line.msg === 'webhook event enqueued' && line.digest === digest,
        );
        const pending = await stack.api.verdict(digest);
        assert.deepEqual(
          [pending.verdict, pending.scan?.status, pending.scan?.id],
          ['pending', 'queued', queued.scanId],
        );

        await stack.redis.restart();
        const worker = await stack.startWorker();
        const { verdict } = await stack.api.waitForVerdict(digest, PATIENCE);
        assertNpmFindings(verdict, predicted);
        const scan = await stack.api.scan(verdict.scan?.id ?? '');
        assert.deepEqual([scan.id, scan.status, scan.attempts], [queued.scanId, 'done', 1]);
        assert.ok(
          !(await worker.logs()).some(
            (line) => line.msg === 'queued scan had no job in Redis; queued it again',
          ),
          'the job came back from Redis itself, not from the reconciler',
        );

        // The webhook and API processes reconnected on their own: a push after the restart is scanned too.
        await push(variants, 'after-redis-restart', 'e2e/app:after-redis-restart');
        const afterRestart = await stack.api.waitForVerdict(digestOf('after-redis-restart'), PATIENCE);
        assertNpmFindings(afterRestart.verdict, predicted);
      },
    );
  },
);

/** The images built from app for this file; each adds layers on top of app's four. */
function variantsOf(appLayers: ReadonlyArray<{ digest: string }>): Variant[] {
  const [base, goBinary] = appLayers.map((layer) => layer.digest);
  const own = (name: string): NewLayer => ({
    files: [{ path: `etc/customs-e2e/${name}`, content: `${name}\n` }],
    createdBy: `COPY ${name} /etc/customs-e2e/${name}`,
  });
  // A real new layer all fleet images share: a file, then the whole Go-binary layer's content again.
  const shared: NewLayer = {
    files: [{ path: 'etc/customs-e2e/fleet-base', content: 'fleet base\n' }],
    thenBlob: goBinary,
    createdBy: 'fleet base: a file and the Go binary again',
  };
  // Big enough to catch mid-download: a file, then the whole 77 MB debootstrap layer's content again.
  const big: NewLayer = {
    files: [{ path: 'etc/customs-e2e/big', content: 'big\n' }],
    thenBlob: base,
    createdBy: 'big: a file and the debootstrap root filesystem again',
  };
  return [
    { tag: 'app-plus', layers: [own('app-plus')] },
    ...FLEET.map((tag) => ({ tag, layers: [shared, own(tag)] })),
    { tag: 'big', layers: [big] },
    ...['during-recovery', 'across-redis-restart', 'after-redis-restart'].map((tag) => ({
      tag,
      layers: [own(tag)],
    })),
  ];
}

function sorted(counts: Map<string, number>): Array<[string, number]> {
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}
