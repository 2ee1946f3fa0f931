import type { ExtractEvents } from 'tar-stream';

/** The stream of one entry's data, as tar-stream hands it out (a streamx Readable). */
export type EntryStream = ExtractEvents['entry'][1];

/**
 * Reads one tar entry's data into a buffer of exactly `size` bytes. Resolves null when the entry stream
 * closes before its end: the tar reader is failing, and it reports why.
 */
export function readEntry(stream: EntryStream, size: number): Promise<Buffer | null> {
  // allocUnsafeSlow: an exact allocation, not a slice of a shared pool that a kept file would pin.
  const data = Buffer.allocUnsafeSlow(size);
  let filled = 0;
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: unknown) => {
      if (!(chunk instanceof Uint8Array)) return;
      data.set(chunk.subarray(0, size - filled), filled);
      filled += chunk.length;
    });
    stream.once('end', () => {
      if (filled === size) resolve(data);
      else reject(new Error(`tar entry data ended after ${filled} of ${size} bytes`));
    });
    stream.once('close', () => resolve(null));
    stream.resume();
  });
}

/** Lets an entry's data flow past without holding it; false when the stream closes before its end. */
export function drainEntry(stream: EntryStream): Promise<boolean> {
  return new Promise((resolve) => {
    stream.once('end', () => resolve(true));
    stream.once('close', () => resolve(false));
    stream.resume();
  });
}
