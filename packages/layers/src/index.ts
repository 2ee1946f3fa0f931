export { DEFAULT_LIMITS } from './layer-scan.js';
export type {
  CollectedFile,
  EntryInfo,
  LayerLimits,
  LayerScan,
  LayerScanOptions,
  UnreadFile,
} from './layer-scan.js';
export { scanLayer } from './scan-layer.js';
export { scanTarInPlace } from './scan-tar-in-place.js';
export type { FileRange } from './file-range.js';
export { scanDirectory, type DirectoryScanOptions } from './scan-directory.js';
export { normaliseEntryPath, whiteoutMeaning, type WhiteoutMeaning } from './entry-path.js';
export {
  layerErrorCodes,
  LayerError,
  LayerCorruptError,
  LayerTruncatedError,
  LayerTooLargeError,
  LayerTooManyEntriesError,
  LayerKeepsTooMuchError,
  LayerDiffIdMismatchError,
  LayerUnsupportedError,
  ScanAbortedError,
  RootfsUnreadableError,
  type LayerErrorCode,
} from './errors.js';
