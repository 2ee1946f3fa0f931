import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransientFetchError, type RemoteFiles } from './remote-files.js';

export interface DownloadOptions {
  /** Attempts per file for server errors and broken connections (default 4); each resumes where the last stopped. */
  attempts?: number;
  /** Wait before the second attempt, doubled each time (default 500 ms). */
  retryDelayMs?: number;
  onBytes?: (progress: { path: string; bytes: number; size: number | null }) => void;
  signal?: AbortSignal;
}

/** Where a download went wrong, for the update's report: `not-found` lets update try the next location. */
export class DownloadError extends Error {
  constructor(
    readonly where: string,
    message: string,
    readonly notFound = false,
  ) {
    super(`${where}: ${message}`);
  }
}

/**
 * Streams `path` into `file`. A connection that breaks mid-body is resumed with an HTTP Range (or S3
 * Range) from the bytes already on disk; a server that ignores the range is read from the start
 * again. The finished file must have the size the server announced and, where it publishes one, the
 * MD5; anything else is an error (a truncated or substituted file never reaches the importer).
 */
export async function downloadFile(
  files: RemoteFiles,
  path: string,
  file: string,
  options: DownloadOptions = {},
): Promise<{ bytes: number }> {
  const where = `${files.description.replace(/\/+$/, '')}/${path}`;
  const attempts = options.attempts ?? 4;
  let delay = options.retryDelayMs ?? 500;
  let written = 0;
  let expected: { size: number | null; md5: string | null } | null = null;
  const handle = await open(file, 'w');
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const remote = await files.get(path, {
          start: written,
          ...(options.signal && { signal: options.signal }),
        });
        if (remote === null) throw new DownloadError(where, 'not found', true);
        expected ??= { size: remote.size, md5: remote.md5 };
        if (remote.start !== written) {
          // The server sent the whole file again: start over.
          await handle.truncate(0);
          written = 0;
        }
        for await (const chunk of remote.body) {
          await handle.write(chunk, 0, chunk.length, written);
          written += chunk.length;
          options.onBytes?.({ path, bytes: written, size: expected.size });
        }
        break;
      } catch (error) {
        if (error instanceof DownloadError || options.signal?.aborted) throw error;
        const transient = error instanceof TransientFetchError || isBrokenBody(error);
        const message = error instanceof Error ? error.message : String(error);
        if (!transient) throw new DownloadError(where, message);
        if (attempt >= attempts) throw new DownloadError(where, `${message} (after ${attempts} attempts)`);
        await sleep(delay, undefined, options.signal ? { signal: options.signal } : {});
        delay *= 2;
      }
    }
  } finally {
    await handle.close();
  }
  await verify(where, file, written, expected);
  return { bytes: written };
}

async function verify(
  where: string,
  file: string,
  written: number,
  expected: { size: number | null; md5: string | null } | null,
): Promise<void> {
  const { size } = await stat(file);
  if (expected && expected.size !== null && size !== expected.size) {
    throw new DownloadError(where, `received ${size} bytes, the server announced ${expected.size}`);
  }
  if (size !== written) throw new DownloadError(where, `wrote ${written} bytes, the file has ${size}`);
  if (expected?.md5) {
    const hash = createHash('md5');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const actual = hash.digest('hex');
    if (actual !== expected.md5)
      throw new DownloadError(where, `MD5 ${actual} differs from the published ${expected.md5}`);
  }
}

/** Errors a body stream raises when the connection drops (undici: terminated, socket closed, aborted). */
function isBrokenBody(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    error.name === 'SocketError' ||
    error.name === 'BodyTimeoutError' ||
    error.name === 'RequestAbortedError' ||
    (typeof code === 'string' && /^(UND_ERR_|ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED)/.test(code)) ||
    /terminated|socket|premature close|aborted/i.test(error.message)
  );
}
