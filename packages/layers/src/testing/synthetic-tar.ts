/**
 * Builders of SYNTHETIC layers for this package's tests: tars made on the spot with tar-stream, so a
 * test can hold exactly the hostile or odd entry it is about. None of this is real third-party data.
 */
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';

export interface SyntheticEntry {
  name: string;
  type?: Header['type'];
  data?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/** A complete tar (with its end-of-archive blocks) holding `entries` in order. */
export async function syntheticTar(entries: readonly SyntheticEntry[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of tar) if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  })();
  for (const entry of entries) {
    const data = entry.data === undefined ? undefined : Buffer.from(entry.data);
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: entry.name,
        type: entry.type ?? 'file',
        mode: entry.mode ?? 0o644,
        ...(entry.linkname !== undefined && { linkname: entry.linkname }),
      };
      const done = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (data === undefined) tar.entry(header, done);
      else tar.entry(header, data, done);
    });
  }
  tar.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** A tar compressed with the zstd command line tool (Debian's `zstd` package). */
export function zstdCompress(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1024 * 1024 * 1024 });
}

export function gzipCompress(data: Buffer): Buffer {
  return gzipSync(data);
}

/** A blob stream that hands out `data` in chunks of `chunkSize` bytes, as a registry download would. */
export function blobStream(data: Buffer, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += chunkSize)
        yield data.subarray(offset, offset + chunkSize);
    })(),
    { objectMode: false },
  );
}

/** Like `blobStream`, but after the last byte the stream fails with `error` instead of ending. */
export function blobStreamFailingAtEnd(data: Buffer, error: Error, chunkSize = 64 * 1024): Readable {
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < data.length; offset += chunkSize)
        yield data.subarray(offset, offset + chunkSize);
      throw error;
    })(),
    { objectMode: false },
  );
}

/** A ustar header block for a regular file of `size` bytes (under 8 GiB), written field by field. */
export function ustarFileHeader(name: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  const octal = (value: number, width: number): string => value.toString(8).padStart(width - 1, '0') + '\0';
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(0, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\0' + '00', 257, 'ascii');
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return block;
}

/**
 * A tar of one file of `size` zero bytes, produced lazily in 1 MiB chunks: nothing of it exists until
 * it is read. `produced()` says how many bytes were asked for so far.
 */
export function lazyZeroFileTar(name: string, size: number): { stream: Readable; produced(): number } {
  const chunk = Buffer.alloc(1024 * 1024);
  let produced = 0;
  function* blocks(): Generator<Buffer> {
    yield ustarFileHeader(name, size);
    for (let left = size; left > 0; left -= chunk.length) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      produced += piece.length;
      yield piece;
    }
    yield Buffer.alloc(((512 - (size % 512)) % 512) + 1024);
  }
  return { stream: Readable.from(blocks(), { objectMode: false }), produced: () => produced };
}
