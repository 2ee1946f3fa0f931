import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDigest } from '../digest.js';
import type { TarIndex } from './tar-index.js';

/** A byte range of a file: a whole blob file in a layout, or a member inside an archive. */
export interface BlobLocation {
  file: string;
  start: number;
  size: number;
}

/** Finds files of an image layout, wherever the layout is kept (a directory, a tar archive). */
export interface BlobLocator {
  /** How to name the layout in messages. */
  readonly where: string;
  locate(path: string): Promise<BlobLocation | null>;
}

/** `blobs/<algorithm>/<hex>`, the OCI image layout's path for a digest. */
export function blobPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `blobs/${algorithm}/${hex}`;
}

export function directoryLocator(directory: string): BlobLocator {
  return {
    where: directory,
    async locate(path: string): Promise<BlobLocation | null> {
      const file = join(directory, path);
      try {
        const info = await stat(file);
        return info.isFile() ? { file, start: 0, size: info.size } : null;
      } catch (error) {
        if (
          error instanceof Error &&
          'code' in error &&
          (error.code === 'ENOENT' || error.code === 'ENOTDIR')
        )
          return null;
        throw error;
      }
    },
  };
}

export function archiveLocator(index: TarIndex): BlobLocator {
  return {
    where: index.file,
    async locate(path: string): Promise<BlobLocation | null> {
      const member = index.get(path);
      return member === null ? null : { file: index.file, ...member };
    },
  };
}

/** Reads a located range into memory; callers check `size` against their limit first. */
export async function readLocation(location: BlobLocation): Promise<Buffer> {
  const handle = await open(location.file, 'r');
  try {
    const buffer = Buffer.alloc(location.size);
    let filled = 0;
    while (filled < location.size) {
      const { bytesRead } = await handle.read(
        buffer,
        filled,
        location.size - filled,
        location.start + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
