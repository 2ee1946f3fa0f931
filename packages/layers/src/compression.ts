import { decompressGzip } from './gzip-decompress.js';
import { decompressZstd } from './zstd-decompress.js';

export type Compression = 'gzip' | 'zstd' | 'none';

/** How many leading bytes `sniffCompression` needs to decide. */
export const SNIFF_BYTES = 4;

/** The compression the blob's first bytes announce; anything without a known magic is read as plain tar. */
export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/**
 * The compression a layer media type declares (OCI `…tar+gzip`, `…tar+zstd`, `…tar`; Docker
 * `…diff.tar.gzip`, `…diff.tar`), or null for a media type that says nothing about it.
 */
export function compressionOfMediaType(mediaType: string): Compression | null {
  const type = mediaType.trim().toLowerCase();
  if (/[+.](gzip|gz)$/.test(type)) return 'gzip';
  if (/[+.](zstd|zst)$/.test(type)) return 'zstd';
  if (/[.+/]tar$/.test(type)) return 'none';
  return null;
}

/** The tar's bytes from the blob's bytes. */
export function decompress(compression: Compression, chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  if (compression === 'gzip') return decompressGzip(chunks);
  if (compression === 'zstd') return decompressZstd(chunks);
  return chunks;
}

/** A warning when the media type declares another compression than the bytes have. */
export function warnAboutMediaType(
  mediaType: string | undefined,
  actual: Compression,
  warnings: string[],
): void {
  const declared = mediaType === undefined ? null : compressionOfMediaType(mediaType);
  if (declared === null || declared === actual) return;
  warnings.push(
    `the media type ${mediaType} says ${describe(declared)} but the bytes are ${describe(actual)}; read as ${describe(actual)}`,
  );
}

function describe(compression: Compression): string {
  return compression === 'none' ? 'an uncompressed tar' : `${compression}-compressed`;
}
