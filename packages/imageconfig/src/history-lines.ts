import type { ImageConfig } from '@customs/oci';

/** One history entry's `created_by`, with its index in `history[]` (empty layers included). */
export interface HistoryLine {
  index: number;
  text: string;
}

/** Every history entry that says how it was made. */
export function historyLines(config: ImageConfig): HistoryLine[] {
  return (config.history ?? []).flatMap((entry, index) =>
    entry.created_by ? [{ index, text: entry.created_by }] : [],
  );
}

/**
 * The Dockerfile instruction of a history line, without the classic builder's `/bin/sh -c #(nop) `
 * prefix and BuildKit's ` # buildkit` suffix: `ARG TOKEN=x`, `ADD https://… /opt`, `RUN |1 A=b …`.
 */
export function instructionOf(text: string): string {
  return text
    .replace(/^\/bin\/sh -c #\(nop\)\s+/, '')
    .replace(/\s+# buildkit$/, '')
    .trim();
}

/**
 * Build arguments a RUN line carries: both builders write `|N NAME=value … command` (BuildKit after
 * `RUN `). Only the N pairs after the count are arguments; anything later is the command itself
 * (`apk add libcrypto3=3.1.4-r1` is not an argument — a false positive Dockle users reported).
 */
export function buildArguments(instruction: string): Array<[string, string]> {
  const match = /^(?:RUN\s+)?\|(\d+)\s+(.*)$/s.exec(instruction);
  if (!match) return [];
  const count = Number(match[1]);
  return (match[2] as string)
    .split(/\s+/)
    .slice(0, count)
    .flatMap((token) => {
      const pair = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(token);
      return pair ? [[pair[1] as string, pair[2] as string] as [string, string]] : [];
    });
}

/** `ARG NAME=default` lines (BuildKit records them; a default is baked into the history for good). */
export function argumentDefault(instruction: string): [string, string] | null {
  const match = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S*)/.exec(instruction);
  return match ? [match[1] as string, match[2] as string] : null;
}

/**
 * `ENV NAME=value …` (or the old `ENV NAME value`) lines: the config's Env holds the same values, but
 * the history keeps them even after a later ENV overwrote them, so they are redacted there too.
 */
export function envAssignments(instruction: string): Array<[string, string]> {
  const match = /^ENV\s+(.*)$/s.exec(instruction);
  if (!match) return [];
  const body = match[1] as string;
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=].*)$/s.exec(body);
  if (legacy && !body.includes('=')) return [[legacy[1] as string, (legacy[2] as string).trim()]];
  return [...body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)].map(
    (pair) => [pair[1] as string, (pair[2] as string).replace(/^["']|["']$/g, '')] as [string, string],
  );
}
