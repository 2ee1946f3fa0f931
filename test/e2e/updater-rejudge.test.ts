// A data update re-judges what it touches, with Customs as an operator runs it: the service stack
// (webhook, api, worker processes, a real docker-registry) plus a `customs updater` process whose
// mirror is an HTTPS server publishing the real npm records of test/fixtures/osv the way OSV's
// exporter does. The app image is scanned while the mirror holds back one HIGH advisory that affects
// one of its npm packages; then the mirror publishes it, the updater's next scheduled run imports it,
// and the worker re-judges the image from its stored inventory: its verdict flips to fail, one change
// is recorded, one signed `verdict.changed` notification reaches a subscriber (its signature checked
// here with node:crypto, not Customs' own verifier), and the registry's access log shows no blob
// fetched again.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildExport,
  readRecords,
  selfSignedCertificate,
  startMirror,
  type FixtureRecord,
  type MirrorServer,
} from '@customs/vulndb/testing';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';
import { writeServiceConfig } from '../support/service-config.js';
import { startRole, type RoleProcess } from '../support/service-role.js';
import { startServiceStack, type ServiceStack } from '../support/service-stack.js';
import { pushImage } from '../support/skopeo.js';
import { predictNpmFindings } from '../support/verdict-oracle.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);
const PATIENCE = { timeoutMs: 90_000, intervalMs: 50 };
const BLOCKING = new Set(['HIGH', 'CRITICAL']);

interface ChangeRow {
  digest: string;
  repository: string;
  old_verdict: string;
  new_verdict: string;
  cause: string;
  data_version: string;
  reasons: Array<{ code: string; findings: Array<{ id: string; package: string }> }>;
}

describe('customs updater: a new advisory re-judges the cached image it affects', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);
  const predicted = predictNpmFindings(truth.npm);
  let stack: ServiceStack;
  let mirror: MirrorServer;
  let updater: RoleProcess;
  let scratch = '';
  let heldBack: FixtureRecord;
  let published: FixtureRecord[];
  let receiver: Server;
  const deliveries: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];

  before(
    async () => {
      scratch = await mkdtemp(join(tmpdir(), 'customs-e2e-updater-'));
      const records = await readRecords(join(OSV_FIXTURES, 'npm'));
      // Every record that would make app fail is held back; the newest of them is published later.
      // The first publication holds only records modified before it, so the updater's cursor
      // (modified_id.csv) finds it as new, as it finds a fresh advisory on OSV.
      const blocking = new Set(
        predicted.filter((finding) => BLOCKING.has(finding.severity)).flatMap((finding) => finding.names),
      );
      const newest = records
        .filter((record) => blocking.has(record.id))
        .sort((a, b) => Date.parse(b.modified) - Date.parse(a.modified))[0];
      assert.ok(newest, 'the fixtures hold a HIGH or CRITICAL npm advisory affecting app');
      heldBack = newest;
      published = records.filter(
        (record) => !blocking.has(record.id) && Date.parse(record.modified) < Date.parse(newest.modified),
      );
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const tls = await selfSignedCertificate(scratch);
      mirror = await startMirror(buildExport(published), tls);
      stack = await startServiceStack({ workers: 1, importAdvisories: false });
      const config = await writeServiceConfig(stack.dir, stack.secrets, {
        registry: stack.registry,
        webhookPort: Number(new URL(stack.webhookUrl).port),
        lockSeconds: 2,
        concurrency: 2,
        fileName: 'customs-updater.yaml',
        updater: {
          // Every 3 s: "the next run" is the schedule's, not one a test asked for.
          intervalMinutes: 0.05,
          mirrors: [mirror.url],
          upstream: false,
          caFile: tls.certFile,
          ecosystems: ['npm'],
          workDir: join(scratch, 'downloads'),
        },
      });
      updater = await startRole({
        role: 'updater',
        name: 'updater',
        dir: stack.dir,
        env: {
          ...process.env,
          CUSTOMS_CONFIG: config,
          DATABASE_URL: stack.databaseUrl,
          REDIS_URL: stack.redis.url,
          LOG_LEVEL: 'info',
        },
      });
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await updater?.stop();
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await mirror?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const changesOf = (digest: string) =>
    stack.db.query<ChangeRow>('select * from verdict_changes where digest = $1 order by id', [digest]);

  test(
    'scanned with the advisory held back, app does not fail; once published, the next update flips it and records one change',
    { timeout: 240_000 },
    async () => {
      await updater.waitForLog((line) => line.msg === 'update finished', 60_000);
      await pushImage(images.layout, 'app', `${stack.registry.host}/e2e/app:1.0`, {
        creds: { username: stack.registry.username ?? '', password: stack.registry.password ?? '' },
      });
      const { verdict: before } = await stack.api.waitForVerdict(truth.app.digest, PATIENCE);
      assert.notEqual(before.verdict, 'fail');
      await waitFor(async () => (await baselineOf(stack, truth.app.digest)) !== null);
      assert.equal(
        await baselineOf(stack, truth.app.digest),
        before.verdict,
        'the worker recorded the baseline',
      );
      assert.deepEqual(await changesOf(truth.app.digest), []);
      const secret = await subscribe(stack, `http://127.0.0.1:${portOf(receiver)}/customs`);
      const blobsBefore = await stack.registry.blobGets();

      for (const [path, bytes] of buildExport([...published, heldBack])) mirror.files.set(path, bytes);
      await waitFor(async () => (await changesOf(truth.app.digest)).length > 0, 120_000);
      // Two more scheduled updates after it: re-judging with unchanged data records nothing new.
      const updatesSoFar = await countLogs(updater, 'update finished');
      await waitFor(async () => (await countLogs(updater, 'update finished')) >= updatesSoFar + 2);
      const changes = await changesOf(truth.app.digest);
      assert.equal(changes.length, 1, 'one change recorded');
      const [change] = changes;
      assert.deepEqual(
        [change?.old_verdict, change?.new_verdict, change?.cause, change?.repository],
        [before.verdict, 'fail', 'data-update', 'e2e/app'],
      );
      const failOn = change?.reasons.find((reason) => reason.code === 'FAIL_ON');
      assert.ok(
        failOn?.findings.some(
          (finding) => finding.id === heldBack.id || aliasesOf(heldBack).includes(finding.id),
        ),
        `the fail names ${heldBack.id}`,
      );
      await waitFor(
        async () => (await stack.api.verdictOf(`${stack.registry.host}/e2e/app:1.0`)).verdict === 'fail',
      );
      await waitFor(async () => deliveries.length > 0);
      const told = deliveries.filter((delivery) => eventOf(delivery.body).type === 'verdict.changed');
      assert.equal(told.length, 1, 'one verdict.changed notification');
      const [delivery] = told;
      assert.ok(delivery);
      assert.ok(
        signedBy(secret, delivery),
        "the HMAC-SHA256 over timestamp.body is the subscription secret's",
      );
      assert.ok(!signedBy(`${secret}x`, delivery), 'another secret does not verify');
      const event = eventOf(delivery.body);
      assert.deepEqual(
        [event.data.digest, event.data.repository, event.data.oldVerdict, event.data.newVerdict],
        [truth.app.digest, 'e2e/app', before.verdict, 'fail'],
      );
      assert.deepEqual(
        [...(await stack.registry.blobGets())].sort(),
        [...blobsBefore].sort(),
        'no blob was fetched again: re-judging read the stored inventory',
      );
    },
  );
});

/** Subscribes `url` to every event through the API (admin token); the signing secret it shows once. */
async function subscribe(stack: ServiceStack, url: string): Promise<string> {
  const response = await fetch(`${stack.api.baseUrl}/v1/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.secrets.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { secret: string }).secret;
}

function portOf(server: Server): number {
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

interface DeliveredEvent {
  type: string;
  data: { digest: string; repository: string; oldVerdict: string | null; newVerdict: string };
}

function eventOf(body: string): DeliveredEvent {
  return JSON.parse(body) as DeliveredEvent;
}

/** `Customs-Signature: t=<unix>,v1=<hex>` checked as docs/notifications.md tells a receiver to. */
function signedBy(secret: string, delivery: { headers: Record<string, unknown>; body: string }): boolean {
  const header = String(delivery.headers['customs-signature'] ?? '');
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = parts.get('t') ?? '';
  const expected = createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest();
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

function aliasesOf(record: FixtureRecord): string[] {
  return (JSON.parse(record.text) as { aliases?: string[] }).aliases ?? [];
}

async function countLogs(process: RoleProcess, msg: string): Promise<number> {
  return (await process.logs()).filter((line) => line.msg === msg).length;
}

async function baselineOf(stack: ServiceStack, digest: string): Promise<string | null> {
  const [row] = await stack.db.query<{ verdict: string }>(
    'select verdict from verdict_records where digest = $1',
    [digest],
  );
  return row?.verdict ?? null;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
