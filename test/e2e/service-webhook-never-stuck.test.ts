// A registry must never block behind Customs: CNCF Distribution re-sends a delivery answered non-2xx
// forever and holds every later event of the registry behind it. Against the real processes (`customs
// webhook`, `api`, `worker`), a real docker-registry whose notification endpoint is the one
// deploy/registry/config.yml (the README) recommends, PostgreSQL and Redis.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { readImage, writeVariantLayout } from '../support/image-variants.js';
import { settleAll, startServiceStack, type ServiceStack } from '../support/service-stack.js';
import { pushImage } from '../support/skopeo.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);
const PATIENCE = { timeoutMs: 120_000, intervalMs: 100 };
/** Layers of the huge manifest: its event (with `includereferences: true`) is about 2 MB. */
const LAYERS = 10_000;

describe('a registry never blocks behind the webhook', { skip: e2e.skip }, () => {
  const images = e2e.images();
  let stack: ServiceStack;
  let scratch = '';
  let variants = new Map<string, string>();
  let layout = '';

  before(
    async () => {
      scratch = await mkdtemp(join(tmpdir(), 'customs-e2e-never-stuck-'));
      layout = join(scratch, 'oci');
      const own = (tag: string) => ({
        tag,
        layers: [{ files: [{ path: `etc/customs-e2e/${tag}`, content: `${tag}\n` }], createdBy: tag }],
      });
      await settleAll([
        startServiceStack({ workers: 1, recommendedNotifications: true }).then(
          (started) => (stack = started),
        ),
        writeVariantLayout(images.layout, 'app', layout, [
          own('alias'),
          own('normal'),
          own('by-digest'),
        ]).then((built) => (variants = built)),
      ]);
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await stack?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const creds = () => ({ username: stack.registry.username ?? '', password: stack.registry.password ?? '' });
  const variant = (tag: string) => {
    const digest = variants.get(tag);
    if (digest === undefined) throw new Error(`no variant ${tag}`);
    return digest;
  };
  interface Row {
    outcome: string;
    reason: string | null;
    registry: string | null;
    digest: string | null;
    payload: unknown;
  }
  const rows = (where: string, params: unknown[]) =>
    stack.db.query<Row>(
      `select outcome, reason, registry, digest, payload from webhook_deliveries where ${where} order by id`,
      params,
    );

  test(
    'a 10,000-layer push and a push through an unlisted host name are recorded with their reasons; the next push gets its verdict',
    { timeout: 300_000 },
    async () => {
      const huge = await pushHugeManifest(stack, creds());
      const [, port] = stack.registry.host.split(':');
      const alias = `localhost:${port}`;
      await pushImage(layout, 'alias', `${alias}/e2e/alias:1`, { creds: creds() });
      await pushImage(layout, 'normal', `${stack.registry.host}/e2e/normal:1`, { creds: creds() });

      // Without restarting the registry: its queue was not held by the two deliveries before.
      const { verdict } = await stack.api.waitForVerdict(variant('normal'), PATIENCE);
      assert.ok(['pass', 'warn', 'fail'].includes(verdict.verdict), verdict.verdict);

      const hugeRows = await rows('digest = $1', [huge.digest]);
      assert.deepEqual(
        hugeRows.map((row) => [row.outcome, referencesDropped(row.payload)]),
        [['enqueued', LAYERS + 1]],
        'the event (layers and config referenced) was read whole; its references are not stored',
      );
      assert.ok(huge.eventBytes > 1024 * 1024, `an event of about ${huge.eventBytes} bytes`);
      const aliasRows = await rows('registry = $1', [alias]);
      assert.deepEqual(
        aliasRows.map((row) => [row.outcome, row.reason]),
        [
          [
            'rejected',
            `registry ${alias} is not configured; add it to registries[].aliases if it is that registry`,
          ],
        ],
      );
    },
  );

  test('an image pushed by digest alone gets a verdict', { timeout: 180_000 }, async () => {
    const digest = variant('by-digest');
    await pushImage(layout, 'by-digest', `${stack.registry.host}/e2e/by-digest@${digest}`, {
      creds: creds(),
    });
    const { verdict } = await stack.api.waitForVerdict(digest, PATIENCE);
    assert.ok(['pass', 'warn', 'fail'].includes(verdict.verdict), verdict.verdict);
  });

  test(
    'a digest pushed again after its scan failed is scanned again at once, not after the reconciler',
    { timeout: 240_000 },
    async () => {
      // The truncated image fails every scan (a truncated layer tar).
      const { digest } = await readImage(images.layout, 'truncated');
      const target = `${stack.registry.host}/e2e/truncated@${digest}`;
      await pushImage(images.layout, 'truncated', target, { creds: creds() });
      const first = (await stack.api.waitForVerdict(digest, PATIENCE)).verdict;
      assert.equal(first.verdict, 'error');
      const firstScan = first.scan?.id;
      assert.ok(firstScan);

      await pushImage(images.layout, 'truncated', target, { creds: creds() });
      // The reconciler would re-queue a lost job after 5 minutes; this waits 2 at most.
      const again = await waitFor(PATIENCE.timeoutMs, async () => {
        const verdict = await stack.api.verdict(digest);
        return verdict.scan?.id !== firstScan && verdict.verdict === 'error' ? verdict : null;
      });
      assert.equal(again.scan?.status, 'failed');
      assert.equal(again.scan?.error?.code, first.scan?.error?.code);
    },
  );

  test('2,000 unauthenticated requests leave the delivery log bounded', { timeout: 240_000 }, async () => {
    const [{ id: lastBefore } = { id: 0 }] = await stack.db.query<{ id: number }>(
      'select coalesce(max(id), 0)::int as id from webhook_deliveries',
    );
    const started = Date.now();
    const statuses = new Map<number, number>();
    const longAgent = `scanner/${'x'.repeat(15_000)}`;
    for (let batch = 0; batch < 80; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 25 }, () =>
          fetch(`${stack.webhookUrl}/webhooks/distribution`, {
            method: 'POST',
            headers: {
              authorization: 'Bearer forged',
              'user-agent': longAgent,
              'content-type': 'application/json',
            },
            body: '{"events":[]}',
          }).then(async (response) => {
            await response.arrayBuffer();
            return response.status;
          }),
        ),
      );
      for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const minutes = Math.floor((Date.now() - started) / 60_000) + 2;
    const added = await rows('id > $1', [lastBefore]);
    assert.equal(
      [...statuses.values()].reduce((sum, n) => sum + n, 0),
      2_000,
    );
    assert.deepEqual([...statuses.keys()].sort(), [401, 429]);
    // 60 refusals per address and minute (webhook.refusedPerMinute's default) over the minutes it took.
    assert.ok(added.length <= 60 * minutes, `${added.length} rows for ${minutes} minute windows`);
    assert.equal(added.length, statuses.get(401));
    for (const row of added) {
      assert.deepEqual([row.outcome, row.reason], ['rejected', 'wrong authorization header']);
      assert.ok(
        JSON.stringify(row).length < 1_000,
        `a bounded row: ${JSON.stringify(row).length} characters`,
      );
    }
    const metrics = await (await fetch(`${stack.webhookUrl}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(
        `^customs_webhook_events_total\\{source="distribution",outcome="rejected",reason="rate_limited"\\} ${statuses.get(429)}$`,
        'm',
      ),
    );
  });
});

/** Pushes, through the registry API, a manifest of LAYERS layers that are all one tiny blob. */
async function pushHugeManifest(
  stack: ServiceStack,
  creds: { username: string; password: string },
): Promise<{ digest: string; eventBytes: number }> {
  const base = `http://${stack.registry.host}/v2/e2e/huge`;
  const auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  // An empty tar (two zero blocks), gzipped.
  const layer = gzipSync(Buffer.alloc(1024));
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const layerDescriptor = await pushBlob(base, auth, layer, 'application/vnd.oci.image.layer.v1.tar+gzip');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: await pushBlob(base, auth, config, 'application/vnd.oci.image.config.v1+json'),
      layers: Array.from({ length: LAYERS }, () => layerDescriptor),
    }),
  );
  const response = await fetch(`${base}/manifests/huge`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  assert.equal(response.status, 201, await response.text());
  // Each reference in the event is the descriptor again, as JSON.
  return { digest: sha256(manifest), eventBytes: (LAYERS + 1) * JSON.stringify(layerDescriptor).length };
}

async function pushBlob(
  base: string,
  auth: string,
  bytes: Buffer,
  mediaType: string,
): Promise<{ mediaType: string; size: number; digest: string }> {
  const digest = sha256(bytes);
  const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST', headers: { authorization: auth } });
  assert.equal(start.status, 202, await start.text());
  const location = new URL(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  assert.equal(put.status, 201, await put.text());
  return { mediaType, size: bytes.length, digest };
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function referencesDropped(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || !('target' in payload)) return undefined;
  const { target } = payload;
  return typeof target === 'object' && target !== null && 'referencesDropped' in target
    ? target.referencesDropped
    : undefined;
}

async function waitFor<T>(timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(200);
  }
}
