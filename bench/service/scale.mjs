#!/usr/bin/env node
// Horizontal scale shown honestly on a small machine: each `customs worker` process runs in a cgroup
// of its own (cgroup v1 `cpu` controller, cpu.cfs_quota_us) limited to --cpu CPUs, standing for one
// small machine per worker, while the registry, PostgreSQL and Redis run outside those limits. The same
// batch of images (app's analysed base, one new npm app layer each) is drained by 1, 2 and 3 workers
// that have each scanned a few warm-up images first (long-lived workers, as deployed),
// straight from the loopback registry and then through a proxy adding --latency ms per request and
// capping each connection to --mbps. Prints a markdown table on stdout, progress on stderr.
//
// Per run it prints images/minute, the ratio to one worker against its target (2 ≥ 1.8×, 3 ≥ 2.6×)
// and against this machine's ceiling for as many budgets (machine-ceiling.mjs, measured first),
// layers fetched against the new layers (a layer fetched twice is counted), the workers' CPU per image,
// the CPU per image of everything outside the budgets (largest components named),
// the share of PostgreSQL samples in which a Customs connection waited on a lock, and Redis' own
// command time as a share of the run.
//
// A batch of 96 per run: with 24 or 48, what each worker process pays once (code loaded and compiled,
// caches filled) showed as CPU per image growing with the number of workers.
//
// Needs root (cgroups). Usage: npm run build && CUSTOMS_E2E_IMAGES=$(bash test/e2e/prepare.sh) \
//   node bench/service/scale.mjs [--batch 96] [--cpu 0.5] [--concurrency 2] [--latency 30] [--mbps 100]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SCAN_QUEUE } from '../../packages/queue/dist/index.js';
import { E2E_TOOLS, e2eEnvironment } from '../../test/dist/support/e2e-environment.js';
import { readImage, writeVariantLayout } from '../../test/dist/support/image-variants.js';
import { startServiceStack } from '../../test/dist/support/service-stack.js';
import { pushImage } from '../../test/dist/support/skopeo.js';
import { machineCeiling } from './machine-ceiling.mjs';
import { cpuByProcess, cpuNow, cpuSince, cpuSpent } from './process-cpu.mjs';
import { startSlowProxy } from './slow-proxy.mjs';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '96' },
    cpu: { type: 'string', default: '0.5' },
    concurrency: { type: 'string', default: '2' },
    latency: { type: 'string', default: '30' },
    mbps: { type: 'string', default: '100' },
  },
});
const BATCH = Number(values.batch);
const CPU = Number(values.cpu);
const CONCURRENCY = Number(values.concurrency);
const WORKER_COUNTS = [1, 2, 3];
const TARGETS = new Map([
  [2, 1.8],
  [3, 2.6],
]);
const CGROUP_ROOT = '/sys/fs/cgroup/cpu';
const CGROUP = join(CGROUP_ROOT, `customs-bench-${process.pid}`);
const CPU_PERIOD_US = 100_000;
/** Warm-up scans per worker slot (worker × concurrency) before a run is measured. */
const WARM_UP_PER_SLOT = 2;

const log = (message) => process.stderr.write(`${message}\n`);
if (!existsSync(join(CGROUP_ROOT, 'cgroup.procs'))) {
  throw new Error(`${CGROUP_ROOT} is not a writable cgroup v1 cpu controller; run as root on cgroup v1`);
}

const runs = ['loopback', 'slow'].flatMap((network) =>
  WORKER_COUNTS.map((workers) => ({
    network,
    workers,
    warmTags: tagsOf(network, workers, 'warm', workers * CONCURRENCY * WARM_UP_PER_SLOT),
    tags: tagsOf(network, workers, '', BATCH),
  })),
);
const images = e2eEnvironment([...E2E_TOOLS, 'redis-server']).images();
const scratch = await mkdtemp(join(tmpdir(), 'customs-bench-scale-'));
let stack;
let proxy;
let redis;
try {
  const layout = join(scratch, 'oci');
  const app = await readImage(images.layout, 'app');
  const npmApp = app.manifest.layers.at(-1).digest;
  log('building images…');
  const [digests, started] = await Promise.all([
    writeVariantLayout(images.layout, 'app', layout, variants(npmApp)),
    startServiceStack({ workers: 0 }),
  ]);
  stack = started;
  redis = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(SCAN_QUEUE, { connection: redis });
  const creds = { username: stack.registry.username, password: stack.registry.password };
  const push = (tag, to) => pushImage(layout, tag, `${stack.registry.host}/${to}`, { creds });

  log('warming: app, so its base layers are analysed');
  const warmer = await stack.startWorker();
  await pushImage(images.layout, 'app', `${stack.registry.host}/bench/app:1.0`, { creds });
  await stack.api.waitForVerdict(app.digest, { timeoutMs: 180_000 });
  await warmer.stop();
  proxy = await startSlowProxy(stack.registry.host, {
    delayMs: Number(values.latency),
    bytesPerSecond: (Number(values.mbps) * 1e6) / 8,
  });

  log('machine ceiling: the same CPU-bound work in 1, 2 and 3 budgets at once');
  const ceiling = await machineCeiling(WORKER_COUNTS, limitCpu);
  const rows = [];
  const perMinute = new Map();
  for (const run of runs) {
    const pullVia = run.network === 'slow' ? proxy.host : undefined;
    const measured = await drain(stack, queue, run, digests, push, pullVia);
    perMinute.set(`${run.network}/${run.workers}`, measured.perMinute);
    const one = perMinute.get(`${run.network}/1`);
    const ratio = measured.perMinute / one;
    const target = TARGETS.get(run.workers);
    rows.push([
      `${run.network === 'slow' ? `+${values.latency} ms, ${values.mbps} Mbit/s` : 'loopback'}, ` +
        `${run.workers} worker${run.workers > 1 ? 's' : ''} × ${CPU} CPU`,
      `${measured.perMinute.toFixed(1)} images/min` +
        (target
          ? `, ${ratio.toFixed(2)}× one (target ≥ ${target}×; this machine's ceiling ` +
            `${ceiling.get(run.workers).toFixed(2)}×)`
          : ''),
      `${run.tags.length} images in ${(measured.spanMs / 1000).toFixed(1)} s; layers fetched ${measured.fetched} ` +
        `for ${run.tags.length} new (${measured.fetched - run.tags.length} twice), ${measured.cached} cached; ` +
        `worker CPU ${measured.workerCpuMs} ms/image; machine CPU busy ${measured.machineBusy}%; PostgreSQL lock waits in ${measured.lockShare}% of samples; ` +
        `Redis command time ${measured.redisShare}% of the run; outside the budgets ` +
        `${measured.outsideCpuMs} ms CPU/image (${measured.outsideTop})`,
    ]);
  }
  printTable(rows);
} finally {
  await proxy?.close();
  redis?.disconnect();
  await stack?.stop();
  await rm(scratch, { recursive: true, force: true });
  removeCgroups();
}

function tagsOf(network, workers, kind, count) {
  return Array.from(
    { length: count },
    (_, i) => `${network}-w${workers}-${kind}${String(i + 1).padStart(2, '0')}`,
  );
}

/** Every image of every run: app with its npm app layer made new (so each scan fetches one layer). */
function variants(npmApp) {
  return runs
    .flatMap((run) => [...run.warmTags, ...run.tags])
    .map((tag) => ({
      tag,
      layers: [
        {
          files: [{ path: `etc/customs-bench/${tag}`, content: `${tag}\n` }],
          thenBlob: npmApp,
          createdBy: tag,
        },
      ],
    }));
}

/**
 * Queues the run's images with the scan queue paused, starts its workers, puts each in its own CPU
 * budget, then resumes the queue and waits for every scan. The span is the scans' own.
 */
async function drain(stack, queue, run, digests, push, pullVia) {
  await queue.pause();
  await queueImages(stack, run.warmTags, digests, push);
  const workers = [];
  for (let i = 0; i < run.workers; i++)
    workers.push(await stack.startWorker({ concurrency: CONCURRENCY, pullVia }));
  workers.forEach((worker, i) => limitCpu(worker.pid, `w${i + 1}`));
  // A worker's first scans load code and fill its caches: a real worker pays that once in its life,
  // a short batch would pay it per worker, so each run measures workers that have already scanned.
  await queue.resume();
  await waitForScans(
    stack,
    run.warmTags.map((tag) => digests.get(tag)),
  );
  await queue.pause();
  const wanted = await queueImages(stack, run.tags, digests, push);
  log(`${run.network}: ${wanted.length} scans queued; ${run.workers} warm worker(s) × ${CPU} CPU`);
  const pids = workers.map((worker) => worker.pid);
  const before = { cpu: cpuNow(pids), redisUsec: await redisCommandUsec(), machine: cpuByProcess() };
  const lockSamples = { waiting: 0, total: 0 };
  await queue.resume();
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
  for (const deadline = Date.now() + 900_000; row.finished < wanted.length; [row] = await counts()) {
    if (Date.now() > deadline)
      throw new Error(`${row.finished} of ${wanted.length} scans finished in 15 min`);
    await sampleLocks(stack, lockSamples);
    await sleep(100);
  }
  const used = cpuSince(before.cpu, pids);
  const outside = cpuSpent(before.machine, cpuByProcess(), new Set(['customs worker']));
  const redisUsec = (await redisCommandUsec()) - before.redisUsec;
  await Promise.all(workers.map((worker) => worker.stop()));
  if (row.done !== wanted.length) throw new Error(`${wanted.length - row.done} scans failed`);
  const spanMs = Number(row.span_ms);
  log(`${run.network} × ${run.workers}: ${wanted.length} images in ${Math.round(spanMs)} ms`);
  return {
    spanMs,
    perMinute: (wanted.length / spanMs) * 60_000,
    fetched: row.fetched,
    cached: row.cached,
    workerCpuMs: Math.round(used.processMs / wanted.length),
    machineBusy: used.machineBusy,
    lockShare: lockSamples.total === 0 ? 0 : Math.round((100 * lockSamples.waiting) / lockSamples.total),
    redisShare: ((100 * redisUsec) / 1000 / spanMs).toFixed(1),
    outsideCpuMs: Math.round(outside.reduce((sum, [, ms]) => sum + ms, 0) / wanted.length),
    outsideTop: outside
      .slice(0, 4)
      .map(([label, ms]) => `${label} ${Math.round(ms / wanted.length)}`)
      .join(', '),
  };
}

/** Pushes the images and waits until the webhook has queued each; their digests. */
async function queueImages(stack, tags, digests, push) {
  for (let i = 0; i < tags.length; i += 4) {
    await Promise.all(tags.slice(i, i + 4).map((tag) => push(tag, `bench/${tag}:1.0`)));
  }
  const wanted = tags.map((tag) => digests.get(tag));
  for (const digest of wanted) {
    await stack.webhook.waitForLog(
      (line) => line.msg === 'webhook event enqueued' && line.digest === digest,
      60_000,
    );
  }
  // The pushes' blobs are still being written back to disk: flush them now, so the kernel's
  // writeback during the drain is the drain's own.
  execFileSync('sync');
  return wanted;
}

async function waitForScans(stack, digests) {
  for (const deadline = Date.now() + 300_000; ; await sleep(200)) {
    const [row] = await stack.db.query(
      `select count(*) filter (where status in ('done', 'failed'))::int as finished from scans where digest = any($1)`,
      [digests],
    );
    if (row.finished >= digests.length) return;
    if (Date.now() > deadline)
      throw new Error(`warm-up: ${row.finished} of ${digests.length} scans in 5 min`);
  }
}

/** A cgroup of its own for `pid` with a quota of CPU × period; threads and children follow it. */
function limitCpu(pid, name) {
  const dir = join(CGROUP, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
  writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round(CPU * CPU_PERIOD_US)));
  writeFileSync(join(dir, 'cgroup.procs'), String(pid));
}

function removeCgroups() {
  if (!existsSync(CGROUP)) return;
  for (let i = 1; i <= Math.max(...WORKER_COUNTS); i++) {
    const dir = join(CGROUP, `w${i}`);
    if (!existsSync(dir)) continue;
    // A cgroup with processes cannot go; move any straggler back to the root first.
    for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      writeFileSync(join(CGROUP_ROOT, 'cgroup.procs'), pid);
    }
    rmdirSync(dir);
  }
  rmdirSync(CGROUP);
}

/** One look at PostgreSQL: how many Customs connections are busy, and how many wait on a lock. */
async function sampleLocks(stack, samples) {
  const [row] = await stack.db.query(
    `select count(*) filter (where state <> 'idle')::int as busy,
            count(*) filter (where wait_event_type = 'Lock')::int as waiting
       from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  if (row.busy === 0) return;
  samples.total += 1;
  if (row.waiting > 0) samples.waiting += 1;
}

/** Total microseconds Redis spent executing commands since it started (INFO commandstats). */
async function redisCommandUsec() {
  const info = await redis.info('commandstats');
  return [...info.matchAll(/usec=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

function printTable(rows) {
  const load = loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
  console.log(
    `Customs workers in CPU budgets, ${availableParallelism()} cores, node ${process.version}, ` +
      `worker.concurrency ${CONCURRENCY}, load average at the end ${load}\n`,
  );
  console.log('| run | throughput | how |');
  console.log('| --- | --- | --- |');
  for (const [run, result, how] of rows) console.log(`| ${run} | ${result} | ${how} |`);
}
