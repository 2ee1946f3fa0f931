import { spawn } from 'node:child_process';

export interface ProgramResult {
  /** Exit code; null when the program was killed by a signal (e.g. on timeout). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ProgramOptions {
  /** Replaces the environment when given (merge with process.env yourself). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Runs a program to completion without blocking the event loop, so servers living in the test process
 * (a token issuer, a webhook sink) keep answering it.
 */
export function runProgram(
  command: string,
  args: readonly string[],
  options: ProgramOptions = {},
): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10 * 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** Like runProgram, but a non-zero exit is an error carrying the program's stderr. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: ProgramOptions = {},
): Promise<string> {
  const result = await runProgram(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code ?? result.signal}: ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}
