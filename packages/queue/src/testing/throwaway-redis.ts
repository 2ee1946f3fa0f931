import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface ThrowawayRedis {
  readonly url: string;
  readonly port: number;
  /** Stops Redis (SHUTDOWN, so an append-only file is flushed) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Kills Redis without letting it save anything. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private `redis-server` on a free loopback port, for tests that must not share (or may break) the
 * machine's Redis. `appendonly` keeps data across restarts, as a production Redis for Customs should.
 */
export async function startThrowawayRedis(options: { appendonly?: boolean } = {}): Promise<ThrowawayRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'customs-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--appendonly',
    options.appendonly ? 'yes' : 'no',
    '--appendfsync',
    'always',
  ];
  let child: ChildProcess = await launch(args);
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    port,
    async restart() {
      await shutdown(url, child);
      child = await launch(args);
    },
    async kill() {
      await killed(child);
    },
    async stop() {
      await killed(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start: ${output.join('')}`)),
      10_000,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run redis-server (apt-get install redis-server): ${error.message}`));
    });
    child.stdout?.on('data', () => {
      if (output.join('').includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

async function shutdown(url: string, child: ChildProcess): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await client.call('shutdown').catch(() => undefined);
  client.disconnect();
  await exited;
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
