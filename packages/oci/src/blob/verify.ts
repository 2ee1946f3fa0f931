import { addAbortSignal, pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { ErrorContext } from '@customs/errors';
import { createDigester, digestOf, parseDigest } from '../digest.js';
import { BlobSizeMismatchError, DigestMismatchError } from '../errors.js';

export interface VerifyingStreamOptions {
  /** What is expected: the digest and byte count from the descriptor. */
  digest: string;
  size: number;
  /** How to name the content in an error, e.g. `layer sha256:…`. */
  what: string;
  context?: ErrorContext;
  onBytes?(received: number): void;
}

/**
 * Passes bytes through while hashing and counting them. Too many bytes fail at once; too few or a wrong
 * digest fail at the end, instead of `end`, so a consumer that waits for the stream to finish never
 * accepts content that does not match its descriptor.
 */
export function createVerifyingStream(options: VerifyingStreamOptions): Transform {
  const { algorithm } = parseDigest(options.digest);
  const hash = createDigester(algorithm);
  const context = options.context ?? {};
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > options.size) {
        callback(new BlobSizeMismatchError(options.what, options.size, `more than ${options.size}`, context));
        return;
      }
      hash.update(chunk);
      try {
        options.onBytes?.(received);
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (received !== options.size) {
        callback(new BlobSizeMismatchError(options.what, options.size, String(received), context));
        return;
      }
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual !== options.digest) {
        callback(
          new DigestMismatchError('BLOB_DIGEST_MISMATCH', options.what, options.digest, actual, context),
        );
        return;
      }
      callback();
    },
  });
}

/** `source` through a verifying stream; its errors, and an abort, reach the consumer through the result. */
export function verifiedStream(
  source: Readable,
  options: VerifyingStreamOptions & { signal?: AbortSignal },
): Readable {
  const { signal, ...verify } = options;
  const verified = createVerifyingStream(verify);
  pipeline(source, verified, () => {
    // pipeline has already destroyed `verified` with the error, which is how the consumer sees it.
  });
  if (signal) addAbortSignal(signal, verified);
  return verified;
}

/** Checks content held in memory (a manifest, a config) against the digest and size it was asked by. */
export function verifyBytes(
  bytes: Uint8Array,
  expected: { digest: string; size?: number },
  what: string,
  code: 'MANIFEST_DIGEST_MISMATCH' | 'BLOB_DIGEST_MISMATCH',
  context: ErrorContext = {},
): void {
  if (expected.size !== undefined && bytes.length !== expected.size) {
    throw new BlobSizeMismatchError(what, expected.size, String(bytes.length), context);
  }
  const actual = digestOf(bytes, parseDigest(expected.digest).algorithm);
  if (actual !== expected.digest) throw new DigestMismatchError(code, what, expected.digest, actual, context);
}
