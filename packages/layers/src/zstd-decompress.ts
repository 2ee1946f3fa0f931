import { Decompress } from 'fzstd';
import { LayerCorruptError } from './errors.js';
import { ZstdWindowGuard } from './zstd-window-guard.js';

/**
 * fzstd decodes everything a pushed slice contains before returning, and one 4-byte RLE block expands
 * to 128 KiB; feeding small slices and handing on their output before the next keeps the memory a
 * zstd bomb can claim between two looks at the byte count to about 128 MiB at worst.
 */
const SLICE_BYTES = 4096;

/** Decompresses a zstd stream (all frames; skippable frames skipped) chunk by chunk, in this thread. */
export async function* decompressZstd(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const decoded: Buffer[] = [];
  const decoder = new Decompress((block) => {
    if (block.length > 0) decoded.push(Buffer.from(block.buffer, block.byteOffset, block.length));
  });
  const push = (slice: Uint8Array, final: boolean): void => {
    try {
      decoder.push(slice, final);
    } catch (error) {
      throw zstdError(error);
    }
  };
  const guard = new ZstdWindowGuard();
  for await (const chunk of chunks) {
    guard.inspect(chunk);
    for (let offset = 0; offset < chunk.length; offset += SLICE_BYTES) {
      push(chunk.subarray(offset, offset + SLICE_BYTES), false);
      if (decoded.length > 0) yield* decoded.splice(0);
    }
  }
  push(new Uint8Array(0), true);
  yield* decoded.splice(0);
}

function zstdError(error: unknown): LayerCorruptError {
  const message = error instanceof Error ? error.message : String(error);
  const detail =
    message === 'unexpected EOF' ? 'the zstd stream ends early' : `the zstd stream is invalid: ${message}`;
  return new LayerCorruptError(detail, { cause: error });
}
