import { setTimeout as sleep } from 'node:timers/promises';
import { DownloadFailedError, SourceUnsupportedError } from '../errors.js';
import { isZipName, type AdvisorySource, type SourceEntry } from './source-entry.js';
import { zipEntries } from './zip-entries.js';

export interface HttpSourceOptions {
  /** Allow plain http:// to 127.0.0.1/localhost: for tests against a loopback server only. */
  allowLoopbackHttp?: boolean;
  /** Attempts for 5xx, 429 and network errors before giving up (default 4). */
  attempts?: number;
  /** Wait before the second attempt, doubled each time (default 500 ms). */
  retryDelayMs?: number;
  fetch?: typeof fetch;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * An https:// URL of an OSV zip export (streamed into the unzipper as it downloads) or of one
 * record. Plain http is refused: advisories decide what ships, so they are not taken over a channel
 * anyone on the path can rewrite.
 */
export function httpSource(url: string, options: HttpSourceOptions = {}): AdvisorySource {
  const parsed = new URL(url);
  if (
    parsed.protocol !== 'https:' &&
    !(parsed.protocol === 'http:' && options.allowLoopbackHttp && isLoopback(parsed))
  ) {
    throw new SourceUnsupportedError(url, 'only https:// URLs are accepted');
  }
  return { description: url, entries: (signal) => download(url, options, signal) };
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

async function* download(
  url: string,
  options: HttpSourceOptions,
  signal?: AbortSignal,
): AsyncGenerator<SourceEntry> {
  const response = await fetchWithRetries(url, options, signal);
  const modified = response.headers.get('last-modified');
  const modifiedAt = modified ? new Date(modified) : null;
  const body = response.body;
  if (!body) throw new DownloadFailedError(url, 'the response has no body');
  const chunks = readChunks(body, url);
  const first = await chunks.next();
  if (first.done) throw new DownloadFailedError(url, 'the response body is empty');
  if (isZipName(new URL(url).pathname) || startsWith(first.value, ZIP_MAGIC)) {
    yield* zipEntries(prepend(first.value, chunks), url, modifiedAt);
    return;
  }
  const parts = [first.value];
  for await (const chunk of chunks) parts.push(chunk);
  yield { name: url, data: Buffer.concat(parts), modifiedAt };
}

async function fetchWithRetries(
  url: string,
  options: HttpSourceOptions,
  signal?: AbortSignal,
): Promise<Response> {
  const attempts = options.attempts ?? 4;
  const doFetch = options.fetch ?? fetch;
  let delay = options.retryDelayMs ?? 500;
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await doFetch(url, { signal: signal ?? null, redirect: 'follow' });
      if (response.ok) return response;
      problem = `HTTP ${response.status} ${response.statusText}`.trim();
      await response.body?.cancel();
      if (response.status < 500 && response.status !== 429) throw new DownloadFailedError(url, problem);
    } catch (error) {
      if (error instanceof DownloadFailedError || signal?.aborted) throw error;
      problem =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    }
    if (attempt < attempts) {
      await sleep(delay, undefined, { signal });
      delay *= 2;
    }
  }
  throw new DownloadFailedError(url, `${problem} (after ${attempts} attempts)`);
}

async function* readChunks(body: ReadableStream<Uint8Array>, url: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw new DownloadFailedError(
      url,
      `the connection broke during the download: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
}

async function* prepend(first: Uint8Array, rest: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield* rest;
}

function startsWith(data: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => data[index] === byte);
}
