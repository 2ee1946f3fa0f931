import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { after } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/customs.js', import.meta.url));
const scratch = await mkdtemp(join(tmpdir(), 'customs-serve-test-'));
after(() => rm(scratch, { recursive: true, force: true }));

const config = join(scratch, 'customs.yaml');
await writeFile(config, 'api: { port: 0 }\nwebhook: { port: 0 }\nregistries: [{ host: 127.0.0.1:5999 }]\n');

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CACHE_HOME: join(scratch, 'cache'),
    CUSTOMS_CONFIG: config,
  };
  delete base.DATABASE_URL;
  delete base.REDIS_URL;
  delete base.CUSTOMS_ADMIN_TOKEN;
  return { ...base, ...extra };
}

function run(
  args: string[],
  environment: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: environment,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('customs serve runs everything in one process on PGlite and a private redis-server, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const started = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 60_000);
    child.stdout.on('data', () => {
      const urls = Object.fromEntries(
        log
          .split('\n')
          .filter((line) => line.includes('"msg":"started"') && line.includes('"url":"http'))
          .map((line) => JSON.parse(line) as { role: string; url: string })
          .map((line) => [line.role, line.url]),
      );
      if (urls.api && urls.webhook && log.includes('"role":"worker","url":null')) {
        clearTimeout(timer);
        resolve(urls);
      }
    });
  });
  assert.match(log, /no REDIS_URL: started a private redis-server/);
  const health = await fetch(`${started.api}/readyz`);
  assert.equal(health.status, 200, await health.text());
  const webhook = await fetch(`${started.webhook}/webhooks/distribution`, { method: 'POST', body: '{}' });
  assert.equal(webhook.status, 404, 'no webhook source is configured, so none is served');
  child.kill('SIGTERM');
  assert.equal(await exited, 0, log);
});

test('a single role without DATABASE_URL says what to do, on one line, exit 1', async () => {
  const result = await run(['worker'], env());
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, /customs worker shares its database with other processes: set DATABASE_URL/);
});

test('serve without REDIS_URL and without redis-server installed says how to fix it', async () => {
  const emptyBin = await mkdtemp(join(scratch, 'bin-'));
  const result = await run(['serve'], env({ PATH: emptyBin }));
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /no REDIS_URL is set and redis-server is not installed \(set REDIS_URL=redis:\/\/host:6379, or install Redis/,
  );
});
