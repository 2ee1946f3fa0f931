import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('startApiService: policy.file is loaded at start and reloaded on SIGHUP; a broken one is refused or kept out', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'customs-api-policy-file-'));
  const file = join(dir, 'policy.yaml');
  const rules = (failOn: string) =>
    `version: 1\nrules:\n  - id: team-a\n    repositories: ["team-a/**"]\n    failOn: ${failOn}\n`;
  const withFile = { ...config, policy: { ...config.policy, file } };
  const lines: string[] = [];
  const logged = (message: string) => lines.some((line) => JSON.parse(line).msg === message);
  const { token } = await store.tokens.create('policy-file reader', ['verdicts:read']);
  await writeFile(file, 'version: 1\nrules:\n  - id: team-a\n');
  await assert.rejects(
    startApiService({ config: withFile, store, redisUrl: redis.url, log: { level: 'silent' } }),
    /policy\.yaml:3: rules\.0 must have required property 'repositories'/,
  );
  await writeFile(file, rules('HIGH'));
  const service = await startApiService({
    config: withFile,
    store,
    redisUrl: redis.url,
    log: { level: 'info', destination: { write: (line: string) => void lines.push(line) } },
  });
  const policyOf = async () => {
    const answer = await fetch(`${service.url}/v1/images/sha256:${'7'.repeat(64)}/verdict`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 200);
    return ((await answer.json()) as { policy: { id: string; file: string } }).policy;
  };
  const until = async (message: string) => {
    while (!logged(message)) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  try {
    const first = await policyOf();
    assert.equal(first.file, file);
    await writeFile(join(dir, 'policy.yaml'), `${rules('HIGH')}    fixableOnly: maybe\n`);
    process.kill(process.pid, 'SIGHUP');
    await until('policy file not reloaded; the previous policy stays');
    assert.equal((await policyOf()).id, first.id);
    await writeFile(file, rules('CRITICAL'));
    process.kill(process.pid, 'SIGHUP');
    await until('policy file reloaded');
    assert.notEqual((await policyOf()).id, first.id);
  } finally {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
});
