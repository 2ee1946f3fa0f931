import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestPostgres } from '@customs/db/testing';
import { startThrowawayRedis } from '@customs/queue/testing';

const BIN = fileURLToPath(new URL('../bin/customs.js', import.meta.url));

// The symptom as an operator saw it: `customs worker` ignored SIGTERM for as long as Redis was down.
test(
  'customs worker exits 0 on SIGTERM while Redis is down, saying its jobs will be retried elsewhere',
  { timeout: 90_000 },
  async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'customs-worker-stop-'));
    const redis = await startThrowawayRedis();
    const postgres = await createTestPostgres();
    const config = join(scratch, 'customs.yaml');
    await writeFile(config, 'registries: [{ host: 127.0.0.1:5999 }]\n');
    const child = spawn(process.execPath, [BIN, 'worker'], {
      env: {
        PATH: process.env.PATH,
        CUSTOMS_CONFIG: config,
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | string | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? signal)),
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const logged = async (message: string) => {
      while (!messages(output).includes(message)) {
        if (child.exitCode !== null) throw new Error(`customs worker exited early:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await logged('started');
      await redis.kill();
      await logged('Redis unavailable; retrying');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      const said = messages(output);
      assert.ok(
        said.some((message) => message.includes('jobs in flight will be retried by another worker')),
        output,
      );
      assert.ok(said.indexOf('worker stopped') > said.indexOf('stopping'), output);
    } finally {
      child.kill('SIGKILL');
      await redis.stop();
      await postgres.close();
      await rm(scratch, { recursive: true, force: true });
    }
  },
);

/** The `msg` of every JSON log line. */
function messages(output: string): string[] {
  return output.split('\n').flatMap((line) => {
    try {
      const entry: unknown = JSON.parse(line);
      return typeof entry === 'object' && entry !== null && 'msg' in entry ? [String(entry.msg)] : [];
    } catch {
      return [];
    }
  });
}
