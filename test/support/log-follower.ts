import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** One pino JSON line of a Customs process (`msg` is the message; other keys are its fields). */
export type LogLine = Record<string, unknown> & { msg?: unknown };

/**
 * Reads a growing log file of JSON lines from where it last stopped, so polling it every few
 * milliseconds costs only the new bytes. Lines that are not JSON (a crash's stack trace) are kept as
 * `{ msg: <text> }`.
 */
export class LogFollower {
  readonly #file: string;
  readonly #lines: LogLine[] = [];
  #offset = 0;
  #partial = '';
  // A multi-byte character may be split between two reads.
  readonly #decoder = new StringDecoder('utf8');

  constructor(file: string) {
    this.#file = file;
  }

  /** Every complete line so far. */
  async lines(): Promise<readonly LogLine[]> {
    const handle = await open(this.#file, 'r');
    try {
      for (;;) {
        const buffer = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        this.#take(this.#decoder.write(buffer.subarray(0, bytesRead)));
      }
    } finally {
      await handle.close();
    }
    return this.#lines;
  }

  #take(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const part of parts) {
      if (part.trim() === '') continue;
      this.#lines.push(parseLine(part));
    }
  }
}

function parseLine(text: string): LogLine {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ...value };
  } catch {
    // not JSON: kept as text below
  }
  return { msg: text };
}
