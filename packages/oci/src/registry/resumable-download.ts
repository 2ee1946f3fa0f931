import { Readable } from 'node:stream';
import type { ErrorContext } from '@customs/errors';
import { OciError } from '../errors.js';
import type { OpenLayerOptions } from '../image-source.js';
import type { ClientEnvironment } from './client-environment.js';
import { discardBody, headerValue, type HttpResponse } from './http-exchange.js';
import { backoffDelay, isTransientNetworkError } from './retry.js';
import { verifiedStream } from '../blob/verify.js';

/** GETs the blob from byte `start` on (a Range request when start > 0). */
export type FetchFrom = (start: number, signal?: AbortSignal) => Promise<HttpResponse>;

function rangeStart(response: HttpResponse): number | null {
  const match = /^bytes (\d+)-/.exec(headerValue(response.headers, 'content-range') ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** The blob being downloaded: its descriptor's digest and size, and how to name it (`layer sha256:…`). */
export interface BlobTarget {
  digest: string;
  size: number;
  what: string;
}

function interrupted(blob: BlobTarget, context: ErrorContext, detail: string): OciError {
  return new OciError('BLOB_TRANSFER_INTERRUPTED', `download of ${blob.what} broke off ${detail}`, {
    hint: 'retry the scan; an unstable connection to the registry or its blob storage is the usual cause',
    context: { ...context, layer: blob.digest },
  });
}

/**
 * The blob's bytes across as many responses as it takes: when a body breaks with a network error,
 * ask for the rest with a Range request. A server that answers the Range with anything but the
 * matching 206 cannot resume, and the download fails instead of silently restarting.
 */
async function* resumableChunks(
  first: HttpResponse,
  fetchFrom: FetchFrom,
  blob: BlobTarget,
  environment: ClientEnvironment,
  context: ErrorContext,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  let response = first;
  let received = 0;
  let breaks = 0;
  try {
    for (;;) {
      try {
        for await (const chunk of response.body) {
          const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
          received += buffer.length;
          yield buffer;
        }
        return;
      } catch (error) {
        if (signal?.aborted || !isTransientNetworkError(error)) throw error;
        breaks += 1;
        discardBody(response.body);
        const where = `after ${received} of ${blob.size} bytes`;
        if (breaks >= environment.retry.maxAttempts)
          throw interrupted(blob, context, `${where}, ${breaks} times`);
        await environment.sleep(backoffDelay(breaks, environment.retry, environment.random), signal);
        response = await fetchFrom(received, signal);
        if (received > 0 && (response.status !== 206 || rangeStart(response) !== received)) {
          discardBody(response.body);
          throw interrupted(
            blob,
            context,
            `${where} and ${response.url.host} cannot resume it (no Range support)`,
          );
        }
      }
    }
  } finally {
    discardBody(response.body);
  }
}

/** Opens a registry blob as a verified, resumable, abortable stream with backpressure. */
export async function openResumableBlob(
  fetchFrom: FetchFrom,
  blob: BlobTarget,
  options: OpenLayerOptions,
  environment: ClientEnvironment,
  context: ErrorContext,
): Promise<Readable> {
  const { signal } = options;
  const first = await fetchFrom(0, signal);
  const source = Readable.from(resumableChunks(first, fetchFrom, blob, environment, context, signal), {
    objectMode: false,
  });
  return verifiedStream(source, {
    digest: blob.digest,
    size: blob.size,
    what: blob.what,
    context: { ...context, layer: blob.digest },
    ...(options.onBytes && { onBytes: options.onBytes }),
    ...(signal && { signal }),
  });
}
