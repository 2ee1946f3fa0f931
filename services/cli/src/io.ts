import type { Readable, Writable } from 'node:stream';

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes are part of the CLI contract: scripts depend on them. */
export const EXIT = { ok: 0, scanError: 1, badArguments: 2 } as const;

export type Command = (argv: string[], io: CliIO) => Promise<number>;

/** A problem with what the user typed: reported on one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
