#!/usr/bin/env node
// Repeated verdict requests against the API, the way an admission webhook asks: the same few images
// over and over. Seeds a real store (PostgreSQL; a throwaway database on 127.0.0.1:5432, else a
// private cluster) with the goof image and an index indexed from real fixtures and the real OSV
// records in test/fixtures/osv, starts the API in a child process on a loopback port (so the load
// generator does not share its event loop), then runs autocannon for --duration seconds per route.
//
// Usage: npm run build && node bench/api/verdict.mjs [--duration 10] [--connections 20]
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
    serve: { type: 'string' },
  },
});

if (values.serve) await serve(JSON.parse(values.serve));
else await bench();

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
  try {
    const store = await openStore(db);
    await createVulnDbReader(db);
    await importRecords(db, [...EXPRESS_RECORDS, ...MORE_RECORDS]);
    const goof = (await scanFixture(store, images.registry, 'goof')).digest;
    const multi = (await scanFixture(store, images.registry, 'multi')).digest;
    const { token } = await store.tokens.create('bench', ['verdicts:read']);
    child = fork(new URL(import.meta.url).pathname, [
      '--serve',
      JSON.stringify({ databaseUrl: postgres.url, redisUrl: redis.url, registryHost: images.registry.host }),
    ]);
    const port = await new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(message.port));
      child.once('exit', (code) => reject(new Error(`the API exited with ${code}`)));
    });
    const routes = [
      ['verdict by digest (manifest, fail)', `/v1/images/${goof}/verdict`],
      ['verdict by digest (index of 2)', `/v1/images/${multi}/verdict`],
      [
        'verdict by reference (tag)',
        `/v1/verdict?ref=${encodeURIComponent(`${images.registry.host}/${REPOSITORY}:goof`)}`,
      ],
    ];
    console.log(
      `autocannon: ${values.duration} s per route, ${values.connections} connections, API in its own process (${process.platform}, ${availableParallelism()} cores)`,
    );
    for (const [name, path] of routes) {
      const check = await fetch(`http://127.0.0.1:${port}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (check.status !== 200) throw new Error(`${path}: ${check.status} ${await check.text()}`);
      const body = await check.text();
      const { verdict } = JSON.parse(body);
      const result = await autocannon({
        url: `http://127.0.0.1:${port}${path}`,
        headers: { authorization: `Bearer ${token}` },
        connections: Number(values.connections),
        duration: Number(values.duration),
      });
      const failed = result.non2xx + result.errors + result.timeouts;
      console.log(
        `${name} [${verdict}, ${body.length} bytes]: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ${result.requests.total} requests, ${failed} failed`,
      );
    }
  } finally {
    // Disconnecting lets the API exit by itself (and write a --cpu-prof profile when asked for one).
    if (child?.connected) child.disconnect();
    else child?.kill();
    await images.registry.close();
    await db.close();
    await redis.stop();
    await postgres.close();
  }
}
