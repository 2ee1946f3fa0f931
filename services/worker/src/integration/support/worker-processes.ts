import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceConfigInput } from '@customs/config';

const SCRIPT = fileURLToPath(new URL('./worker-process.js', import.meta.url));

export interface WorkerProcess {
  readonly pid: number;
  /** Every JSON log line the process wrote so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** SIGTERM: running jobs finish, connections close. */
  stop(): Promise<void>;
  /** SIGKILL: nothing is cleaned up, as when a machine dies. */
  kill(): Promise<void>;
}

/** Writes the configuration to a file, as an operator would, for the processes to read. */
export async function writeConfig(
  config: ServiceConfigInput,
): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'customs-worker-test-'));
  const path = join(dir, 'customs.json');
  await writeFile(path, JSON.stringify(config));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts `node worker-process.js` and resolves once its worker is consuming jobs. */
export async function spawnWorker(
  configPath: string,
  options: { leaseMs?: number } = {},
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env.PATH,
      CUSTOMS_CONFIG: configPath,
      CUSTOMS_TEST_LEASE_MS: String(options.leaseMs ?? 30_000),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const entry: Record<string, unknown> = JSON.parse(line);
        logs.push(entry);
        if (entry.msg === 'ready') resolve();
      }
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`worker process exited (${code ?? signal}) before it was ready: ${stderr.join('')}`)),
    );
  });
  await ready;
  return {
    pid: child.pid ?? 0,
    logs,
    stop: () => ended(child, 'SIGTERM'),
    kill: () => ended(child, 'SIGKILL'),
  };
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exited;
}
