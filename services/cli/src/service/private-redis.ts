import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { CustomsError } from '@customs/errors';

export interface PrivateRedis {
  readonly url: string;
  stop(): Promise<void>;
}

export class RedisNotFoundError extends CustomsError {
  constructor() {
    super('REDIS_NOT_AVAILABLE', 'no REDIS_URL is set and redis-server is not installed', {
      hint: 'set REDIS_URL=redis://host:6379, or install Redis (apt-get install redis-server)',
    });
  }
}

/**
 * A redis-server for `customs serve` alone: loopback only, a free port, an append-only file in `dir`
 * so queued jobs survive a restart of the whole thing.
 */
export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await ready(child);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const settle = (error?: Error): void => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('exit', onExit);
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      if (error) reject(error);
      else resolve();
    };
    const onError = (error: NodeJS.ErrnoException): void =>
      settle(error.code === 'ENOENT' ? new RedisNotFoundError() : error);
    const onExit = (code: number | null): void =>
      settle(new Error(`redis-server exited (${code}): ${output}`));
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) settle();
    };
    const timer = setTimeout(() => settle(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.once('error', onError);
    child.once('exit', onExit);
    child.stdout?.on('data', onData);
  });
}

function freePort(): Promise<number> {
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
