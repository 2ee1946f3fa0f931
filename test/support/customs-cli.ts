import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runProgram, type ProgramResult } from './program.js';

export const CUSTOMS_BIN = fileURLToPath(new URL('../../../services/cli/bin/customs.js', import.meta.url));

export interface RunCustomsOptions {
  /** Added to the environment; the caller's CUSTOMS_REGISTRY_AUTH is never inherited. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs the `customs` CLI as a user would: a separate node process, exit code and output captured. */
export function runCustoms(args: readonly string[], options: RunCustomsOptions = {}): Promise<ProgramResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env || !('CUSTOMS_REGISTRY_AUTH' in options.env)) delete env.CUSTOMS_REGISTRY_AUTH;
  return runProgram(process.execPath, [CUSTOMS_BIN, ...args], {
    env,
    timeoutMs: options.timeoutMs ?? 5 * 60_000,
  });
}

/**
 * The contract for a failed scan: exit 1, no inventory on stdout, and one line on stderr that contains
 * every `mentions` string and matches `cause`.
 */
export function assertScanError(result: ProgramResult, mentions: readonly string[], cause: RegExp): void {
  assert.equal(result.code, 1, `exit code (stderr: ${result.stderr})`);
  assert.equal(result.stdout.trim(), '', 'no inventory on stdout after a failed scan');
  const reason = result.stderr.trim();
  assert.equal(reason.split('\n').length, 1, `one line on stderr, got:\n${reason}`);
  for (const mention of mentions)
    assert.ok(reason.includes(mention), `the reason names ${mention}: ${reason}`);
  assert.match(reason, cause);
}
