import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { LayerCorruptError } from './errors.js';

/** Large output chunks: inflating into 1 MiB pieces takes about half the time of the default 16 KiB. */
const OUTPUT_CHUNK_BYTES = 1024 * 1024;

/**
 * Decompresses a gzip stream, all of its members (zlib runs on the thread pool). An error of `chunks`
 * itself comes out unchanged; zlib's own errors become LAYER_CORRUPT.
 */
export async function* decompressGzip(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: OUTPUT_CHUNK_BYTES });
  const input = Readable.from(chunks, { objectMode: false });
  let inputError: unknown;
  input.once('error', (error) => {
    inputError = error;
  });
  // Failures reach the reader through `gunzip`, which the pipeline destroys with the first error.
  pipeline(input, gunzip).catch(() => {});
  try {
    yield* gunzip;
  } catch (error) {
    if (error !== inputError && isZlibError(error)) throw gzipError(error);
    throw error;
  } finally {
    gunzip.destroy();
    input.destroy();
  }
}

function isZlibError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('Z_')
  );
}

function gzipError(error: Error & { code: string }): LayerCorruptError {
  const detail =
    error.code === 'Z_BUF_ERROR'
      ? 'the gzip stream ends early (the blob was cut short)'
      : `the gzip stream is invalid: ${error.message}`;
  return new LayerCorruptError(detail, { cause: error });
}
