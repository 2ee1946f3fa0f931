import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

/** What reading a body came to: the bytes, or why there are none. */
export type BodyRead =
  | { ok: true; body: Buffer }
  /** More than `limit` bytes (after decompression): reading stopped there. */
  | { ok: false; problem: 'too-large'; limit: number }
  /** A Content-Encoding we do not decode, or a body that is not what its Content-Encoding says. */
  | { ok: false; problem: 'unreadable'; message: string }
  /** The sender went away mid-body: there is nobody to answer. */
  | { ok: false; problem: 'aborted' };

/**
 * The body as bytes, whatever the Content-Type (HMACs are computed over exactly what was sent, and
 * JSON is parsed by us afterwards), decompressed when the sender says gzip or deflate, and never
 * more than `limit` bytes of it: a Content-Length over the limit is refused before a byte is read.
 * Our own reader rather than body-parser's, so the caller picks the limit after authentication and
 * a broken gzip stream is a 400 rather than an unhandled error.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = decoderFor(encoding);
  if (decoder === 'unsupported') {
    return { ok: false, problem: 'unreadable', message: `Content-Encoding ${encoding} is not supported` };
  }
  const declared = Number(request.headers['content-length']);
  if (decoder === null && Number.isFinite(declared) && declared > limit) {
    return { ok: false, problem: 'too-large', limit };
  }
  if (decoder === null) return collect(request, request, null, limit, encoding);
  request.pipe(decoder);
  return collect(request, decoder, decoder, limit, encoding);
}

function decoderFor(encoding: string): Transform | null | 'unsupported' {
  if (encoding === 'identity' || encoding === '') return null;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  return 'unsupported';
}

function collect(
  request: IncomingMessage,
  source: Readable,
  decoder: Transform | null,
  limit: number,
  encoding: string,
): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (read: BodyRead) => {
      source.off('data', onData);
      request.off('aborted', onAborted);
      request.off('error', onAborted);
      if (decoder !== null) {
        request.unpipe(decoder);
        decoder.destroy();
      }
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        // The rest is left unread: the server discards it once the answer is sent.
        source.pause();
        finish({ ok: false, problem: 'too-large', limit });
        return;
      }
      chunks.push(chunk);
    };
    const onAborted = () => finish({ ok: false, problem: 'aborted' });
    source.on('data', onData);
    source.once('end', () => finish({ ok: true, body: Buffer.concat(chunks, bytes) }));
    source.once('error', (error: Error) => {
      if (decoder === null) finish({ ok: false, problem: 'aborted' });
      else finish({ ok: false, problem: 'unreadable', message: `not ${encoding}: ${error.message}` });
    });
    request.once('aborted', onAborted);
    if (decoder !== null) request.once('error', onAborted);
  });
}
