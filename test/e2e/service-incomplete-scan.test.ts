// Never `pass` for what Customs could not read. The real base-arm64 image (Debian minbase), plus a
// layer whose var/lib/dpkg/status is a real Debian status (app's) padded with newlines past the 64 MiB
// the dpkg analyzer reads: pushed to a real docker-registry, scanned by `customs webhook | api | worker` as
// separate processes, the verdict from the API must be `error`, naming the layer and the file. A
// control image with an equally big file nobody reads must not be incomplete.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ApiVerdict } from '../support/customs-api.js';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { readImage, writeVariantLayout } from '../support/image-variants.js';
import { startServiceStack, type ServiceStack } from '../support/service-stack.js';
import { pushImage } from '../support/skopeo.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);

const STATUS = 'var/lib/dpkg/status';
/**
 * Debian minbase alone (no Python, unlike app's base layer): with its packages hidden it has no
 * findings, so only the unread status can keep it from passing.
 */
const BASE = 'base-arm64';
/** What the dpkg analyzer reads at most: @customs/layers' DEFAULT_LIMITS.maxFileBytes. */
const FILE_LIMIT = 64 * 1024 * 1024;
const PATIENCE = { timeoutMs: 120_000, intervalMs: 100 };

/** The verdict fields this test reads beyond what the shared client types. */
interface Verdict extends ApiVerdict {
  reasons: Array<ApiVerdict['reasons'][number] & { message: string }>;
  incomplete: Array<{ layer: string | null; path: string | null; code: string; reason: string }>;
  warnings: string[];
}

describe(
  'an image whose dpkg status is padded past the file limit, through the service',
  { skip: e2e.skip },
  () => {
    const images = e2e.images();
    let stack: ServiceStack;
    let scratch = '';
    let layout = '';
    let digests = new Map<string, string>();

    before(
      async () => {
        scratch = await mkdtemp(join(tmpdir(), 'customs-e2e-incomplete-'));
        layout = join(scratch, 'oci');
        const status = await readFile(join(images.rootfs, STATUS));
        const padded = Buffer.concat([status, Buffer.alloc(FILE_LIMIT + 1 - status.length, '\n')]);
        // Built before the stack starts: compressing 64 MiB layers holds the event loop, and the stack's
        // start-up watches the processes' logs against a clock.
        digests = await writeVariantLayout(images.layout, BASE, layout, [
          {
            tag: 'padded',
            layers: [{ files: [{ path: STATUS, content: padded }], createdBy: 'pad the dpkg status' }],
          },
          {
            tag: 'big-unread',
            layers: [
              {
                files: [{ path: 'opt/data/blob.bin', content: Buffer.alloc(FILE_LIMIT + 1) }],
                createdBy: 'add a big data file',
              },
            ],
          },
        ]);
        stack = await startServiceStack({ workers: 1 });
      },
      { timeout: 240_000 },
    );
    after(async () => {
      await stack?.stop();
      await rm(scratch, { recursive: true, force: true });
    });

    const pushAndJudge = async (tag: string): Promise<Verdict> => {
      await pushImage(layout, tag, `${stack.registry.host}/e2e/incomplete:${tag}`, {
        creds: { username: stack.registry.username ?? '', password: stack.registry.password ?? '' },
      });
      const digest = digests.get(tag);
      assert.ok(digest, `variant ${tag} was built`);
      const { verdict } = await stack.api.waitForVerdict(digest, PATIENCE);
      // The shared client types what every service test reads; this one reads the incomplete records too.
      return verdict as Verdict;
    };

    test(
      'the push gets verdict error, naming the padded layer and var/lib/dpkg/status, never pass',
      { timeout: 180_000 },
      async () => {
        const verdict = await pushAndJudge('padded');
        const padded = await readImage(layout, 'padded');
        const paddedLayer = padded.manifest.layers.at(-1)?.digest;
        assert.equal(verdict.verdict, 'error', JSON.stringify(verdict.reasons));
        assert.deepEqual(verdict.incomplete, [
          {
            layer: paddedLayer,
            path: STATUS,
            code: 'FILE_TOO_LARGE',
            reason: `${STATUS}: skipped, ${FILE_LIMIT + 1} bytes is more than the ${FILE_LIMIT} bytes the dpkg analyzer reads`,
          },
        ]);
        const [first] = verdict.reasons;
        assert.equal(first?.code, 'SCAN_INCOMPLETE');
        assert.ok(first?.message.includes(`layer ${paddedLayer}: ${STATUS}: skipped`), first?.message);
        assert.equal(
          verdict.scan?.status,
          'done',
          'the scan itself finished: it is the verdict that refuses',
        );
      },
    );

    test('an equally big file no analyzer reads leaves the scan complete', { timeout: 180_000 }, async () => {
      const verdict = await pushAndJudge('big-unread');
      assert.deepEqual(verdict.incomplete, []);
      assert.notEqual(verdict.verdict, 'error', JSON.stringify(verdict.reasons));
      assert.ok(!verdict.reasons.some((reason) => reason.code === 'SCAN_INCOMPLETE'));
    });
  },
);
