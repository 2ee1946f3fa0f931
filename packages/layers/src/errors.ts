import { CustomsError, errorCodesIn, type ErrorCodeIn, type ErrorContext } from '@customs/errors';

/** The codes this package raises (declared in @customs/errors); callers switch on these. */
export const layerErrorCodes = errorCodesIn('layers');

export type LayerErrorCode = ErrorCodeIn<'layers'>;

/** Base of this package's errors: a CustomsError whose code is one of `layerErrorCodes`. */
export class LayerError extends CustomsError {
  declare readonly code: LayerErrorCode;

  constructor(
    code: LayerErrorCode,
    message: string,
    options: { hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

const corruptHint =
  'the blob is damaged or is not a layer; push the image again or report it to its publisher';

/** The bytes cannot be decompressed or are not a tar archive. */
export class LayerCorruptError extends LayerError {
  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super('LAYER_CORRUPT', message, {
      hint: corruptHint,
      context: options.path === undefined ? {} : { path: options.path },
      cause: options.cause,
    });
  }
}

/** The compressed stream is intact but the tar inside it stops before an entry is complete. */
export class LayerTruncatedError extends LayerError {
  readonly missingBytes: number;

  constructor(message: string, path: string | null, missingBytes: number) {
    super('LAYER_TRUNCATED', message, {
      hint: 'the layer was written incompletely (some tools, e.g. umoci insert 0.4.7, do this); rebuild the image with another tool',
      context: path === null ? {} : { path },
    });
    this.missingBytes = missingBytes;
  }
}

export class LayerTooLargeError extends LayerError {
  constructor(limit: number) {
    super('LAYER_TOO_LARGE', `the layer decompresses to more than ${formatBytes(limit)}`, {
      hint: 'this looks like a decompression bomb; if the layer is genuine, raise limits.maxLayerBytes',
    });
  }
}

export class LayerTooManyEntriesError extends LayerError {
  constructor(limit: number, path: string) {
    super('LAYER_TOO_MANY_ENTRIES', `the layer has more than ${limit} entries`, {
      hint: 'if the layer is genuine, raise limits.maxEntries',
      context: { path },
    });
  }
}

export class LayerKeepsTooMuchError extends LayerError {
  constructor(limit: number, path: string) {
    super('LAYER_KEEPS_TOO_MUCH', `the files asked for add up to more than ${formatBytes(limit)}`, {
      hint: 'an analyzer asks for too many or too large files; narrow what it requires or raise limits.maxKeptBytes',
      context: { path },
    });
  }
}

export class LayerDiffIdMismatchError extends LayerError {
  constructor(expected: string, actual: string) {
    super(
      'LAYER_DIFFID_MISMATCH',
      `the uncompressed layer has digest ${actual}, the image config says ${expected}`,
      {
        hint: 'the layer does not belong to this image config; the image is damaged or was tampered with',
      },
    );
  }
}

/** A well-formed layer that would need more than Customs gives one scan (a zstd window past zstd's own default). */
export class LayerUnsupportedError extends LayerError {
  constructor(window: number, limit: number) {
    super(
      'LAYER_UNSUPPORTED',
      `a zstd frame of the layer needs a ${formatBytes(window)} window; Customs decodes windows up to ${formatBytes(limit)}, as zstd does by default`,
      { hint: 'recompress the layer with a smaller window (no --long above 27)' },
    );
  }
}

export class ScanAbortedError extends LayerError {
  constructor(reason: unknown) {
    super('LAYER_SCAN_ABORTED', 'the scan was aborted', { cause: reason });
  }
}

export class RootfsUnreadableError extends LayerError {
  constructor(root: string, problem: string, cause?: unknown) {
    super('ROOTFS_UNREADABLE', `cannot read the root filesystem directory ${root}: ${problem}`, {
      hint: 'pass a directory that holds an unpacked root filesystem and that this user can read',
      cause,
    });
  }
}

/** Sizes in messages: exact bytes would be noise, a MiB figure is what a user compares with. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}
