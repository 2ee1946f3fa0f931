import type { Readable } from 'node:stream';
import { isCustomsError } from '@customs/errors';
import { CompressedInput } from './compressed-input.js';
import { decompress, sniffCompression, SNIFF_BYTES, warnAboutMediaType } from './compression.js';
import { LayerTooLargeError, ScanAbortedError } from './errors.js';
import { FileKeeper } from './file-keeper.js';
import type { LayerLimits, LayerScan, LayerScanOptions } from './layer-scan.js';
import { resolveLimits } from './limits.js';
import { TarDigest } from './tar-digest.js';
import { TarWalk } from './tar-walk.js';
import { WalkNotes } from './walk-notes.js';

/**
 * One pass over a layer blob: sniffs and undoes its compression, hashes the tar (diffId), walks its
 * entries and keeps what `options.wants`. The source's own error (say, a digest mismatch found at its
 * end) is thrown unchanged; everything else that fails is a LayerError. Nothing is returned for a layer
 * that fails in any way.
 */
export async function scanLayer(source: Readable, options: LayerScanOptions): Promise<LayerScan> {
  const { signal } = options;
  const notes = new WalkNotes();
  const { warnings } = notes;
  let walk: TarWalk | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const limits = resolveLimits(options.limits);
    if (signal?.aborted) throw new ScanAbortedError(signal.reason);
    const input = new CompressedInput(source);
    const keeper = new FileKeeper(limits, options.onFile, notes);
    const tarWalk = new TarWalk({ wants: options.wants, keeper, limits, notes });
    walk = tarWalk;
    onAbort = () => {
      const error = new ScanAbortedError(signal?.reason);
      tarWalk.fail(error);
      source.destroy(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const compression = sniffCompression(await input.head(SNIFF_BYTES));
    warnAboutMediaType(options.mediaType, compression, warnings);
    const digest = new TarDigest(options.diffId ?? null);
    const uncompressedBytes = await feed(decompress(compression, input.chunks()), tarWalk, digest, limits);
    await tarWalk.end();
    const diffId = digest.finish();
    return {
      files: keeper.files(),
      whiteouts: tarWalk.whiteouts,
      opaqueDirs: tarWalk.opaqueDirs,
      diffId,
      compressedBytes: input.bytes,
      uncompressedBytes,
      entries: tarWalk.entries,
      warnings,
      unread: notes.unread,
    };
  } catch (error) {
    // Free everything at once: the download, the decompressor (through the source's end) and the tar reader.
    source.destroy();
    walk?.fail(error);
    if (signal?.aborted && !isCustomsError(error)) throw new ScanAbortedError(signal.reason);
    throw error;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Streams the tar into the walk, hashing and counting it; a bomb stops at the first chunk past the cap. */
async function feed(
  tar: AsyncIterable<Buffer>,
  walk: TarWalk,
  digest: TarDigest,
  limits: Readonly<LayerLimits>,
): Promise<number> {
  let bytes = 0;
  for await (const chunk of tar) {
    bytes += chunk.length;
    if (bytes > limits.maxLayerBytes) throw new LayerTooLargeError(limits.maxLayerBytes);
    digest.update(chunk);
    await walk.write(chunk);
  }
  return bytes;
}
