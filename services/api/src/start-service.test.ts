import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { loadServiceConfig } from '@customs/config';
import { openDatabase, type Database } from '@customs/db';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { openStore, type Store } from '@customs/store';
import { startApiService } from './start-service.js';

let db: Database;
let store: Store;
let redis: ThrowawayRedis;
before(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  store = await openStore(db);
  redis = await startThrowawayRedis();
});
after(async () => {
  await redis.stop();
  await db.close();
});

/** What `customs api` reads: a registry with a password and a bind address. */
const config = loadServiceConfig({
  env: { CUSTOMS_CONFIG: 'customs.json' },
  readFile: () =>
    JSON.stringify({
      registries: [{ host: '127.0.0.1:5000', username: 'scanner', password: 'registry-password' }],
      api: { port: 0, host: '127.0.0.1' },
    }),
});

test('startApiService: its own logger and Redis connection, and a server on the configured address', async () => {
  const lines: string[] = [];
  const service = await startApiService({
    config,
    store,
    redisUrl: redis.url,
    log: { level: 'debug', destination: { write: (line: string) => void lines.push(line) } },
  });
  try {
    assert.equal(service.url, `http://127.0.0.1:${service.port}`);
    const ready = await fetch(`${service.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
  } finally {
    await service.close();
  }
  await assert.rejects(fetch(`${service.url}/healthz`));
  const entries = lines.map((line): Record<string, unknown> => JSON.parse(line));
  assert.ok(
    entries.some((entry) => entry.name === 'customs-api' && entry.path === '/readyz'),
    lines.join(''),
  );
});

// Without the service's own timeouts Node would wait 60 s for the headers: the test's timeout fails it.
test(
  'a client that never finishes its headers is answered 408 and disconnected',
  { timeout: 15_000 },
  async () => {
    const service = await startApiService({
      config,
      store,
      redisUrl: redis.url,
      log: { level: 'silent' },
      requestTimeoutMs: 200,
    });
    try {
      assert.match(await stalledRequest(service.port), /^HTTP\/1\.1 408 /);
    } finally {
      await service.close();
    }
  },
);

/** Sends the start of a request and nothing more; resolves with what the server wrote before it hung up. */
function stalledRequest(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: customs\r\n');
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}
