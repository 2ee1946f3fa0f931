import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CUSTOMS_BIN } from './customs-cli.js';
import { startDaemon, type Daemon } from './daemon.js';
import { LogFollower, type LogLine } from './log-follower.js';

export type ServiceRole = 'webhook' | 'api' | 'worker' | 'updater';

/** One `customs webhook|api|worker` process, as an operator runs it. */
export interface RoleProcess {
  readonly role: ServiceRole;
  /** Unique within a stack: `worker-1`, `api`, … (its log is `<dir>/<name>.log`). */
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Where it listens (webhook, api); null for a worker. */
  readonly url: string | null;
  running(): boolean;
  logs(): Promise<readonly LogLine[]>;
  /** Resolves with the first log line `matches` accepts; fails early if the process exits. */
  waitForLog(matches: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** `kill -9`: no drain, no goodbye; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (drains), SIGKILL after the grace time; resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface RoleOptions {
  role: ServiceRole;
  name: string;
  /** The directory for its log. */
  dir: string;
  /** The whole environment of the process (CUSTOMS_CONFIG, DATABASE_URL, REDIS_URL, …). */
  env: NodeJS.ProcessEnv;
  /** Options for node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  startTimeoutMs?: number;
}

/** Log polling interval: short, so a test can act while a scan is in flight. */
const POLL_MS = 10;

/** Starts `node services/cli/bin/customs.js <role>` and waits for its `started` log line. */
export async function startRole(options: RoleOptions): Promise<RoleProcess> {
  const logFile = join(options.dir, `${options.name}.log`);
  const args = [...(options.nodeArgs ?? []), CUSTOMS_BIN, options.role];
  const daemon = startDaemon(process.execPath, args, logFile, {
    env: options.env,
  });
  const follower = new LogFollower(logFile);
  const waitForLog = (matches: (line: LogLine) => boolean, timeoutMs = 30_000) =>
    waitForLine(daemon, follower, matches, timeoutMs);
  let started: LogLine;
  try {
    started = await waitForLog((line) => line.msg === 'started', options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return {
    role: options.role,
    name: options.name,
    pid: daemon.pid,
    logFile,
    url: typeof started.url === 'string' ? started.url : null,
    running: () => daemon.running(),
    logs: () => follower.lines(),
    waitForLog,
    async kill() {
      if (daemon.running()) process.kill(daemon.pid, 'SIGKILL');
      await daemon.stop();
    },
    stop: () => daemon.stop(10_000),
  };
}

async function waitForLine(
  daemon: Daemon,
  follower: LogFollower,
  matches: (line: LogLine) => boolean,
  timeoutMs: number,
): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await follower.lines()).find(matches);
    if (found) return found;
    if (!daemon.running()) {
      // One last read: the line may have been written just before the exit.
      const late = (await follower.lines()).find(matches);
      if (late) return late;
      throw new Error(`${daemon.logFile}: the process exited:\n${await tail(daemon.logFile)}`);
    }
    if (Date.now() > deadline)
      throw new Error(
        `${daemon.logFile}: no matching log line in ${timeoutMs} ms:\n${await tail(daemon.logFile)}`,
      );
    await sleep(POLL_MS);
  }
}

async function tail(file: string, lines = 30): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

/** The first of `processes` to log a line `matches` accepts, and that line. */
export async function waitForAnyLog(
  processes: readonly RoleProcess[],
  matches: (line: LogLine) => boolean,
  timeoutMs = 30_000,
): Promise<{ process: RoleProcess; line: LogLine }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const candidate of processes) {
      const line = (await candidate.logs()).find(matches);
      if (line) return { process: candidate, line };
    }
    if (Date.now() > deadline) {
      const names = processes.map((candidate) => candidate.logFile).join(', ');
      throw new Error(`no matching log line in ${timeoutMs} ms in ${names}`);
    }
    await sleep(POLL_MS);
  }
}
