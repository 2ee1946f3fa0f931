#!/usr/bin/env node
// Customs as deployed, measured end to end on this machine: `customs webhook`, `customs api` and
// `customs worker` as separate processes (PostgreSQL, append-only Redis, a real docker-registry whose
// notifications go to the webhook; test/support/service-stack.ts), fed with the real e2e images and
// variants of `app` built here (test/support/image-variants.ts). Prints a markdown table on stdout,
// progress on stderr.
//
//   push → verdict   from `skopeo copy` returning to the first verdict that is neither pending nor
//                    unknown, polling GET /v1/images/{digest}/verdict every --poll ms; cold = every
//                    layer new, warm = app's layers already analysed, one new small layer on top
//   verdict API      autocannon against the running `customs api` (--connections, --duration)
//   scan throughput  a batch of images sharing app's (analysed) base, each with its own npm app layer,
//                    queued with no worker running, then drained by 1 worker process, and another
//                    batch by 2 (each with worker.concurrency 2, then 1); images/minute from the scans'
//                    first start to last finish, with the machine's CPU use over that time
//
// Usage: npm run build && CUSTOMS_E2E_IMAGES=$(bash test/e2e/prepare.sh) node bench/service/run.mjs
//        [--cold 8] [--warm 20] [--batch 60] [--poll 5] [--duration 10] [--connections 20]
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { E2E_TOOLS, e2eEnvironment } from '../../test/dist/support/e2e-environment.js';
import { readImage, writeVariantLayout } from '../../test/dist/support/image-variants.js';
import { startServiceStack } from '../../test/dist/support/service-stack.js';
import { pushImage } from '../../test/dist/support/skopeo.js';
import { cpuNow, cpuSince } from './process-cpu.mjs';

const { values } = parseArgs({
  options: {
    cold: { type: 'string', default: '8' },
    warm: { type: 'string', default: '20' },
    batch: { type: 'string', default: '60' },
    poll: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
  },
});
const COLD = Number(values.cold);
const WARM = Number(values.warm);
const BATCH = Number(values.batch);
const POLL_MS = Number(values.poll);

const log = (message) => process.stderr.write(`${message}\n`);
const range = (n, prefix) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

const images = e2eEnvironment([...E2E_TOOLS, 'redis-server']).images();
const scratch = await mkdtemp(join(tmpdir(), 'customs-bench-service-'));
let stack;
try {
  const layout = join(scratch, 'oci');
  const app = await readImage(images.layout, 'app');
  const appLayers = app.manifest.layers.map((layer) => layer.digest);
  log('building images…');
  const [digests, started] = await Promise.all([
    writeVariantLayout(images.layout, 'app', layout, variants(appLayers)),
    startServiceStack({ workers: 2 }),
  ]);
  stack = started;
  const ref = (to) => `${stack.registry.host}/${to}`;
  const creds = { username: stack.registry.username, password: stack.registry.password };
  const push = (from, tag, to) => pushImage(from, tag, ref(to), { creds });

  log('warming: app, so its layers are analysed');
  await push(images.layout, 'app', 'bench/app:1.0');
  await stack.api.waitForVerdict(app.digest, { timeoutMs: 120_000 });

  const rows = [];
  for (const [kind, tags] of [
    ['cold (4 new layers, 92 MB)', range(COLD, 'cold')],
    ['warm (base analysed, 1 new small layer)', range(WARM, 'warm')],
  ]) {
    const samples = [];
    for (const tag of tags) {
      samples.push(
        await pushToVerdict(stack, () => push(layout, tag, `bench/latency:${tag}`), digests.get(tag)),
      );
      // let the registry's pull events of this scan reach the webhook before the next push
      await sleep(300);
    }
    log(`${kind}: ${samples.map((s) => Math.round(s.totalMs)).join(' ')} ms`);
    rows.push(latencyRow(kind, samples));
  }

  for (const [name, path] of [
    ['GET /v1/images/{digest}/verdict', `/v1/images/${app.digest}/verdict`],
    ['GET /v1/verdict?ref=…:tag', `/v1/verdict?ref=${encodeURIComponent(ref('bench/app:1.0'))}`],
  ]) {
    rows.push(await verdictLoad(stack, name, path));
  }

  const perMinute = new Map();
  for (const concurrency of [2, 1]) {
    for (const processes of [1, 2]) {
      const tags = range(BATCH, `batch-c${concurrency}-p${processes}`);
      const measured = await drain(stack, { processes, concurrency }, tags, digests, (tag) =>
        push(layout, tag, `bench/${tag}:1.0`),
      );
      perMinute.set(`${concurrency}/${processes}`, measured.perMinute);
      rows.push([
        `scan throughput, ${processes} worker process${processes > 1 ? 'es' : ''} × concurrency ${concurrency}`,
        `${measured.perMinute.toFixed(0)} images/min`,
        `${tags.length} images in ${(measured.spanMs / 1000).toFixed(1)} s (${measured.fetched} layers fetched, ` +
          `${measured.cached} cached); machine CPU busy ${measured.machineBusy}%, worker CPU ${measured.workerCpuMs} ms/image`,
      ]);
    }
    const ratio = perMinute.get(`${concurrency}/2`) / perMinute.get(`${concurrency}/1`);
    rows.push([
      `scan throughput, 2 processes ÷ 1 (concurrency ${concurrency})`,
      `${ratio.toFixed(2)}×`,
      'target ≥ 1.7×',
    ]);
  }
  printTable(rows);
} finally {
  await stack?.stop();
  await rm(scratch, { recursive: true, force: true });
}

/** The images this bench pushes, all built from app. */
function variants([base, goBinary, venv, npmApp]) {
  const file = (name) => ({ path: `etc/customs-bench/${name}`, content: `${name}\n` });
  const renewed = (tag, blob, i) => ({
    files: [file(`${tag}-${i}`)],
    thenBlob: blob,
    createdBy: `${tag} layer ${i}`,
  });
  return [
    ...range(COLD, 'cold').map((tag) => ({
      tag,
      withoutBaseLayers: true,
      layers: [base, goBinary, venv, npmApp].map((blob, i) => renewed(tag, blob, i)),
    })),
    ...range(WARM, 'warm').map((tag) => ({ tag, layers: [{ files: [file(tag)], createdBy: tag }] })),
    ...['c2-p1', 'c2-p2', 'c1-p1', 'c1-p2']
      .flatMap((run) => range(BATCH, `batch-${run}`))
      .map((tag) => ({ tag, layers: [renewed(tag, npmApp, 'app')] })),
  ];
}

/** Push, then poll the verdict every POLL_MS; where the time went, from the processes' own logs. */
async function pushToVerdict(stack, push, digest) {
  await push();
  const pushedAt = Date.now();
  const started = performance.now();
  for (;;) {
    const verdict = await stack.api.verdict(digest);
    if (verdict.verdict !== 'pending' && verdict.verdict !== 'unknown') break;
    await sleep(POLL_MS);
  }
  const totalMs = performance.now() - started;
  const seenAt = pushedAt + totalMs;
  const enqueued = (await stack.webhook.logs()).find(
    (line) => line.msg === 'webhook event enqueued' && line.digest === digest,
  );
  const workerLogs = (
    await Promise.all(stack.workers.filter((w) => w.running()).map((w) => w.logs()))
  ).flat();
  const done = workerLogs.find((line) => line.msg === 'scan done' && String(line.image).endsWith(digest));
  return {
    totalMs,
    toWebhookMs: enqueued ? enqueued.time - pushedAt : NaN,
    scanMs: done && enqueued ? done.time - enqueued.time : NaN,
    toApiMs: done ? seenAt - done.time : NaN,
  };
}

function latencyRow(kind, samples) {
  const pick = (key) => samples.map((sample) => sample[key]);
  const total = pick('totalMs');
  return [
    `push → verdict, ${kind}`,
    `p50 ${ms(percentile(total, 50))}, p95 ${ms(percentile(total, 95))}`,
    `${samples.length} pushes; median split: registry → webhook queued ${ms(percentile(pick('toWebhookMs'), 50))}, ` +
      `queued → scan done ${ms(percentile(pick('scanMs'), 50))}, scan done → API says so ${ms(percentile(pick('toApiMs'), 50))}`,
  ];
}

async function verdictLoad(stack, name, path) {
  const url = `${stack.api.baseUrl}${path}`;
  const headers = { authorization: `Bearer ${stack.secrets.adminToken}` };
  const check = await fetch(url, { headers });
  const body = await check.text();
  if (check.status !== 200) throw new Error(`${path}: ${check.status} ${body}`);
  const result = await autocannon({
    url,
    headers,
    connections: Number(values.connections),
    duration: Number(values.duration),
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  log(`${name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`);
  return [
    `verdict API, ${name}`,
    `${Math.round(result.requests.average).toLocaleString('en-US')} req/s, p99 ${result.latency.p99} ms`,
    `autocannon ${values.connections} connections × ${values.duration} s, p50 ${result.latency.p50} ms, ` +
      `max ${result.latency.max} ms, ${result.requests.total} requests, ${failed} failed, ${body.length}-byte ${JSON.parse(body).verdict} verdict`,
  ];
}

/**
 * Queues every image with no worker running, then starts the worker processes and waits (reading
 * PostgreSQL, so the API is not loaded meanwhile) for every scan. The span is the scans' own: first
 * start to last finish. CPU is read from /proc: the whole machine's, and the workers'.
 */
async function drain(stack, { processes, concurrency }, tags, digests, push) {
  await Promise.all(stack.workers.filter((w) => w.running()).map((w) => w.stop()));
  const wanted = tags.map((tag) => digests.get(tag));
  for (let i = 0; i < tags.length; i += 4) await Promise.all(tags.slice(i, i + 4).map(push));
  for (const digest of wanted) {
    await stack.webhook.waitForLog(
      (line) => line.msg === 'webhook event enqueued' && line.digest === digest,
      60_000,
    );
  }
  log(`${tags.length} scans queued; starting ${processes} worker process(es) × concurrency ${concurrency}`);
  const workers = await Promise.all(
    Array.from({ length: processes }, () => stack.startWorker({ concurrency })),
  );
  const before = cpuNow(workers.map((w) => w.pid));
  const counts = () =>
    stack.db.query(
      `select count(*) filter (where status in ('done', 'failed'))::int as finished,
              count(*) filter (where status = 'done')::int as done,
              extract(epoch from max(finished_at) - min(started_at)) * 1000 as span_ms,
              sum(layers_fetched)::int as fetched, sum(layers_cached)::int as cached
         from scans where digest = any($1)`,
      [wanted],
    );
  let [row] = await counts();
  for (const deadline = Date.now() + 600_000; row.finished < tags.length; [row] = await counts()) {
    if (Date.now() > deadline) throw new Error(`${row.finished} of ${tags.length} scans finished in 10 min`);
    await sleep(100);
  }
  const used = cpuSince(
    before,
    workers.map((w) => w.pid),
  );
  if (row.done !== tags.length) throw new Error(`${tags.length - row.done} scans failed`);
  for (const digest of wanted) {
    const { verdict } = await stack.api.verdict(digest);
    if (verdict !== 'fail') throw new Error(`${digest}: verdict ${verdict}, expected fail`);
  }
  const spanMs = Number(row.span_ms);
  log(
    `${processes} × ${concurrency}: ${tags.length} images in ${Math.round(spanMs)} ms, machine CPU ${used.machineBusy}%`,
  );
  return {
    spanMs,
    perMinute: (tags.length / spanMs) * 60_000,
    fetched: row.fetched,
    cached: row.cached,
    machineBusy: used.machineBusy,
    workerCpuMs: Math.round(used.processMs / tags.length),
  };
}

function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function ms(value) {
  return Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a';
}

function printTable(rows) {
  const load = loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
  console.log(
    `Customs service, ${availableParallelism()} cores, node ${process.version}, load average at the end ${load}\n`,
  );
  console.log('| measure | result | how |');
  console.log('| --- | --- | --- |');
  for (const [measure, result, how] of rows) console.log(`| ${measure} | ${result} | ${how} |`);
}
