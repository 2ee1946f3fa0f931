import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A long-running program started by a test, with its output in a log file. */
export interface Daemon {
  readonly pid: number;
  readonly logFile: string;
  /** True until the process has exited (and been reaped by node, so it leaves no zombie). */
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

// A safety net for runs that end without the tests' `after` hooks (an uncaught error, process.exit):
// whatever is still running is killed when this test process exits.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface DaemonOptions {
  /** Replaces the environment when given (merge with process.env yourself). */
  env?: NodeJS.ProcessEnv;
}

export function startDaemon(
  command: string,
  args: readonly string[],
  logFile: string,
  options: DaemonOptions = {},
): Daemon {
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', log, log], env: options.env ?? process.env });
  } finally {
    closeSync(log);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command} (see ${logFile})`);
  live.add(child);
  // Unref'd, so a test that forgets stop() still lets the test process end, and the exit hook above
  // then kills the daemon, instead of the daemon keeping the test process (and the run) alive forever.
  child.unref();
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid,
    logFile,
    running,
    async stop(graceMs = 5000) {
      if (running()) {
        child.ref(); // keep the test process alive until the daemon is gone and reaped
        child.kill('SIGTERM');
        // An unref'd grace timer: once the process is gone it must not keep the test process alive.
        const grace = sleep(graceMs, false, { ref: false });
        const killed = await Promise.race([exited.then(() => true), grace]);
        if (!killed) child.kill('SIGKILL');
      }
      await exited;
    },
  };
}

/** A port that was free a moment ago; the caller retries if another process takes it first. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a free port');
  return address.port;
}

/**
 * Polls `url` until it answers with one of `statuses`; fails early when the daemon dies, naming its log.
 */
export async function waitForHttp(
  url: string,
  daemon: Daemon,
  statuses: readonly number[],
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!daemon.running())
      throw new Error(`${url}: the server exited before it was ready (see ${daemon.logFile})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (statuses.includes(response.status)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(50);
  }
  throw new Error(`${url}: not ready after ${timeoutMs} ms (${last}; see ${daemon.logFile})`);
}
