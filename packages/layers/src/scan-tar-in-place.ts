import { sniffCompression, SNIFF_BYTES, warnAboutMediaType } from './compression.js';
import { LayerTooLargeError, ScanAbortedError } from './errors.js';
import { FileKeeper } from './file-keeper.js';
import { RangeReader, type FileRange } from './file-range.js';
import type { LayerScan, LayerScanOptions } from './layer-scan.js';
import { resolveLimits } from './limits.js';
import { TarEntries } from './tar-entries.js';
import { readTarHeaders } from './tar-headers.js';
import { WalkNotes } from './walk-notes.js';

/**
 * Walks a layer stored as an uncompressed tar in a local file (a member of an image archive), reading
 * its headers and the files `wants` keeps and seeking over the data of every other entry. Same
 * entries, files, whiteouts and warnings as `scanLayer` on the same bytes, but the bytes are not
 * hashed: `diffId` is null and nothing is checked against the layer's digest (docs/decisions.md).
 * Resolves null, before `wants` or `onFile` is called, when the blob is compressed or its tar is
 * anything `scanLayer` would fail on or treat specially: the caller then streams it.
 */
export async function scanTarInPlace(range: FileRange, options: LayerScanOptions): Promise<LayerScan | null> {
  const { signal } = options;
  const limits = resolveLimits(options.limits);
  if (signal?.aborted) throw new ScanAbortedError(signal.reason);
  if (range.size > limits.maxLayerBytes) throw new LayerTooLargeError(limits.maxLayerBytes);
  const reader = new RangeReader(range);
  try {
    const head = reader.peek(0, Math.min(SNIFF_BYTES, range.size));
    if (sniffCompression(head) !== 'none') return null;
    const headers = readTarHeaders(reader, limits.maxEntries);
    if (headers === null) return null;
    const notes = new WalkNotes();
    warnAboutMediaType(options.mediaType, 'none', notes.warnings);
    const keeper = new FileKeeper(limits, options.onFile, notes);
    const walk = new TarEntries({ wants: options.wants, keeper, limits, notes });
    for (const { header, dataOffset } of headers) {
      if (signal?.aborted) throw new ScanAbortedError(signal.reason);
      await walk.take(header, dataOffset, (size) => reader.read(dataOffset, size));
    }
    walk.checkEndOfArchive(range.size);
    return {
      files: keeper.files(),
      whiteouts: walk.whiteouts,
      opaqueDirs: walk.opaqueDirs,
      diffId: null,
      compressedBytes: range.size,
      uncompressedBytes: range.size,
      entries: walk.entries,
      warnings: notes.warnings,
      unread: notes.unread,
    };
  } finally {
    reader.close();
  }
}
