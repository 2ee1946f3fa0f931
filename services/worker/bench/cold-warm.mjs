// Time per image, cold (empty layer cache) and warm, through a real worker: the e2e images
// (test/e2e/images, built by test/e2e/prepare.sh) pushed with skopeo to Debian's docker-registry,
// PostgreSQL and a throwaway Redis on this machine. Each case runs on a fresh database.
//
//   npx tsc -b services/worker && CUSTOMS_E2E_IMAGES=$(bash test/e2e/prepare.sh) node services/worker/bench/cold-warm.mjs
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadServiceConfig } from '@customs/config';
import { openDatabase } from '@customs/db';
import { createTestPostgres } from '@customs/db/testing';
import { createRedisConnection, createScanQueues } from '@customs/queue';
import { startThrowawayRedis } from '@customs/queue/testing';
import { openStore } from '@customs/store';
import { createWorkerLogger, startWorker } from '../dist/index.js';

const run = promisify(execFile);
const images = process.env.CUSTOMS_E2E_IMAGES;
if (!images) throw new Error('set CUSTOMS_E2E_IMAGES (bash test/e2e/prepare.sh prints it)');
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const dir = await mkdtemp(join(tmpdir(), 'customs-worker-bench-'));
const host = `127.0.0.1:${port}`;
await writeFile(
  join(dir, 'config.yml'),
  JSON.stringify({
    version: '0.1',
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dir, 'data') } },
    http: { addr: host },
  }),
);
const registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
for (let tries = 0; ; tries += 1) {
  const ok = await fetch(`http://${host}/v2/`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (tries > 100) throw new Error('docker-registry did not start');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

async function push(tag, repository, extra = []) {
  await run('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    ...extra,
    `oci:${images}/oci:${tag}`,
    `docker://${host}/${repository}:1`,
  ]);
  const { stdout } = await run(
    'skopeo',
    ['inspect', '--raw', '--tls-verify=false', `docker://${host}/${repository}:1`],
    { encoding: 'buffer' },
  );
  const { createHash } = await import('node:crypto');
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
}
const app = await push('app', 'bench/app');
// The same layers under another manifest (Docker schema 2 media types): a new image, all layers known.
const appDocker = await push('app', 'bench/app-docker', ['--format', 'v2s2']);
const multi = await push('multi', 'bench/multi', ['--all']);

async function measure(steps) {
  const postgres = await createTestPostgres();
  const redis = await startThrowawayRedis();
  const db = await openDatabase({ url: postgres.url });
  const store = await openStore(db);
  const producer = createRedisConnection(redis.url);
  const queues = createScanQueues(producer);
  const config = loadServiceConfig({
    env: { CUSTOMS_CONFIG: 'x' },
    readFile: () => JSON.stringify({ registries: [{ host }], worker: { concurrency: 1 } }),
  });
  const worker = await startWorker({
    config,
    store,
    redisUrl: redis.url,
    logger: createWorkerLogger({ level: 'silent' }),
  });
  const results = [];
  try {
    for (const [repository, digest] of steps) {
      const scan = await store.scans.create({ registry: host, repository, digest, trigger: 'api' });
      const queued = performance.now();
      await queues.enqueueScan({
        v: 1,
        scanId: scan.id,
        registry: host,
        repository,
        digest,
        tag: null,
        requestedAt: new Date().toISOString(),
      });
      let done;
      for (;;) {
        done = await store.scans.get(scan.id);
        if (done.status === 'done' || done.status === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (done.status !== 'done') throw new Error(`${repository}: ${JSON.stringify(done.error)}`);
      results.push({
        repository,
        ms: performance.now() - queued,
        fetched: done.layersFetched,
        cached: done.layersCached,
      });
    }
  } finally {
    await worker.close();
    await queues.close();
    producer.disconnect();
    await db.close();
    await postgres.close();
    await redis.stop();
  }
  return results;
}

const rows = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const [cold, warm, index] = await measure([
    ['bench/app', app],
    ['bench/app-docker', appDocker],
    ['bench/multi', multi],
  ]);
  rows.push({ cold, warm, index });
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const name of ['cold', 'warm', 'index']) {
  const sample = rows[0][name];
  const ms = rows.map((row) => row[name].ms);
  console.log(
    `${name.padEnd(5)} ${sample.repository.padEnd(17)} layers fetched ${sample.fetched}, cached ${sample.cached}: median ${median(ms).toFixed(0)} ms (${ms.map((v) => v.toFixed(0)).join(', ')})`,
  );
}
registry.kill('SIGKILL');
await rm(dir, { recursive: true, force: true });
