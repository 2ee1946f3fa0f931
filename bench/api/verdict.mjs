#!/usr/bin/env node
// Repeated verdict requests against the API, the way an admission webhook asks: the same few images
// over and over. Seeds a real store (PostgreSQL; a throwaway database on 127.0.0.1:5432, else a
// private cluster) with the goof image and an index indexed from real fixtures and the real OSV
// records in test/fixtures/osv, starts the API in a child process on a loopback port (so the load
// generator does not share its event loop), then runs autocannon for --duration seconds per route.
//
// The ceiling is measured in the same run: a bare express app in its own process answering the very
// bytes of each verdict, with no auth, contract or cache. Each route is printed against it (target ≥ 70 %
// of its requests/s, p99 ≤ 10 ms), and once more with If-None-Match (304s, the ETag path).
//
// Usage: npm run build && node bench/api/verdict.mjs [--duration 10] [--rounds 5] [--connections 20]
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { openDatabase } from '../../packages/db/dist/index.js';
import { createTestPostgres } from '../../packages/db/dist/testing/index.js';
import { createRedisConnection, createScanQueues } from '../../packages/queue/dist/index.js';
import { startThrowawayRedis } from '../../packages/queue/dist/testing/index.js';
import { openStore } from '../../packages/store/dist/index.js';
import { createVulnDbReader } from '../../packages/vulndb/dist/index.js';
import { createApiApp } from '../../services/api/dist/index.js';
import {
  EXPRESS_RECORDS,
  importRecords,
  MORE_RECORDS,
  REPOSITORY,
  scanFixture,
  serveFixtureImages,
} from '../../services/api/dist/test-support/fixture-images.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
    serve: { type: 'string' },
    bare: { type: 'string' },
  },
});

if (values.serve) await serve(JSON.parse(values.serve));
else if (values.bare) await serveBare(JSON.parse(values.bare));
else await bench();

/** The child standing for the ceiling: express answering fixed bytes per path, nothing else. */
async function serveBare(bodies) {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // A lookup by path rather than routes: digests hold a colon, which express reads as a parameter.
  const bytesByPath = new Map(Object.entries(bodies).map(([path, body]) => [path, Buffer.from(body)]));
  app.get(/.*/, (request, response) => {
    response.type('application/json; charset=utf-8').send(bytesByPath.get(request.path));
  });
  const server = app.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
}

/** Forks this script in a mode; resolves with the child and the port it listens on. */
async function forkServer(flag, argument) {
  const child = fork(new URL(import.meta.url).pathname, [flag, JSON.stringify(argument)]);
  const port = await new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the ${flag} server exited with ${code}`)));
  });
  return { child, port };
}

async function load(url, headers, seconds) {
  const result = await autocannon({
    url,
    headers,
    connections: Number(values.connections),
    duration: seconds,
  });
  return {
    total: result.requests.total,
    seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.timeouts,
  };
}

/**
 * Each target loaded in turn, --rounds times, for --duration seconds in all: a machine that drifts
 * (other tenants of the host, a build beside it) affects every target alike. Requests per second over
 * the whole time; latency percentiles are the median of the rounds'.
 */
async function loadInRounds(targets) {
  const rounds = Number(values.rounds);
  const seconds = Math.max(1, Math.round(Number(values.duration) / rounds));
  const runs = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries())
      runs[i].push(await load(target.url, target.headers, seconds));
  }
  return runs.map((results) => ({
    perSecond: Math.round(sum(results, 'total') / sum(results, 'seconds')),
    p50: median(results.map((result) => result.p50)),
    p99: median(results.map((result) => result.p99)),
    failed: sum(results, 'failed'),
  }));
}

function sum(results, field) {
  return results.reduce((total, result) => total + result[field], 0);
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** The child: the API over the seeded store, listening on a free loopback port. */
async function serve({ databaseUrl, redisUrl, registryHost }) {
  const db = await openDatabase({ url: databaseUrl });
  const store = await openStore(db);
  const connection = createRedisConnection(redisUrl);
  const app = createApiApp({
    config: {
      policy: { failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] },
      registries: [{ host: registryHost, aliases: [], insecure: true, credentials: null }],
    },
    store,
    queues: createScanQueues(connection),
    vulnReader: await createVulnDbReader(db),
    logger: pino({ level: 'warn' }),
  });
  const server = app.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  process.on('disconnect', () => process.exit(0));
}

async function bench() {
  const postgres = await createTestPostgres();
  const redis = await startThrowawayRedis();
  const images = await serveFixtureImages();
  const db = await openDatabase({ url: postgres.url });
  let child;
  let port;
  let bare;
  let barePort;
  try {
    const store = await openStore(db);
    await createVulnDbReader(db);
    await importRecords(db, [...EXPRESS_RECORDS, ...MORE_RECORDS]);
    const goof = (await scanFixture(store, images.registry, 'goof')).digest;
    const multi = (await scanFixture(store, images.registry, 'multi')).digest;
    const { token } = await store.tokens.create('bench', ['verdicts:read']);
    ({ child, port } = await forkServer('--serve', {
      databaseUrl: postgres.url,
      redisUrl: redis.url,
      registryHost: images.registry.host,
    }));
    const routes = [
      ['verdict by digest (manifest, fail)', `/v1/images/${goof}/verdict`],
      ['verdict by digest (index of 2)', `/v1/images/${multi}/verdict`],
      [
        'verdict by reference (tag)',
        `/v1/verdict?ref=${encodeURIComponent(`${images.registry.host}/${REPOSITORY}:goof`)}`,
      ],
    ];
    const authorization = { authorization: `Bearer ${token}` };
    const answers = new Map();
    for (const [, path] of routes) {
      const check = await fetch(`http://127.0.0.1:${port}${path}`, { headers: authorization });
      if (check.status !== 200) throw new Error(`${path}: ${check.status} ${await check.text()}`);
      answers.set(path, { body: await check.text(), etag: check.headers.get('etag') });
    }
    const bodies = Object.fromEntries(
      [...answers].map(([path, answer]) => [path.split('?')[0], answer.body]),
    );
    ({ child: bare, port: barePort } = await forkServer('--bare', bodies));
    console.log(
      `autocannon: ${values.duration} s per target in ${values.rounds} alternating rounds, ${values.connections} connections; the API and the bare express ceiling each in its own process (${process.platform}, ${availableParallelism()} cores)\n`,
    );
    console.log(
      '| route | API req/s | ceiling req/s | API ÷ ceiling (target ≥ 70 %) | API p50 / p99 ms (target p99 ≤ 10) | bytes |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const [name, path] of routes) {
      const { body, etag } = answers.get(path);
      const { verdict } = JSON.parse(body);
      const revalidating = etag
        ? [{ url: `http://127.0.0.1:${port}${path}`, headers: { ...authorization, 'if-none-match': etag } }]
        : [];
      const [ceiling, api, revalidated] = await loadInRounds([
        { url: `http://127.0.0.1:${barePort}${path.split('?')[0]}`, headers: {} },
        { url: `http://127.0.0.1:${port}${path}`, headers: authorization },
        ...revalidating,
      ]);
      const share = Math.round((100 * api.perSecond) / ceiling.perSecond);
      console.log(
        `| ${name} [${verdict}] | ${api.perSecond} | ${ceiling.perSecond} | ${share} % | ${api.p50} / ${api.p99} | ${body.length} (${api.failed + ceiling.failed} failed) |`,
      );
      if (revalidated) {
        console.log(
          `| ${name}, If-None-Match → 304 | ${revalidated.perSecond} | ${ceiling.perSecond} | ${Math.round((100 * revalidated.perSecond) / ceiling.perSecond)} % | ${revalidated.p50} / ${revalidated.p99} | 0 (${revalidated.failed} failed) |`,
        );
      }
    }
  } finally {
    // Disconnecting lets the API exit by itself (and write a --cpu-prof profile when asked for one).
    for (const server of [child, bare]) {
      if (server?.connected) server.disconnect();
      else server?.kill();
    }
    await images.registry.close();
    await db.close();
    await redis.stop();
    await postgres.close();
  }
}
