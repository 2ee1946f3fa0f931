import { LayerUnsupportedError } from './errors.js';

/** zstd's own decoder refuses larger windows unless told otherwise (ZSTD_WINDOWLOG_LIMIT_DEFAULT = 27). */
export const MAX_ZSTD_WINDOW_BYTES = 128 * 1024 * 1024;

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DICTIONARY_ID_BYTES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_BYTES = [0, 2, 4, 8] as const;
const RLE_BLOCK = 1;
const RESERVED_BLOCK = 3;

type Step =
  | { kind: 'read'; bytes: number; then: (field: Buffer) => Step }
  | { kind: 'skip'; bytes: number; then: () => Step }
  /** The bytes are not zstd as the guard understands it: the decoder will say what is wrong. */
  | { kind: 'off' };

/**
 * Follows the frame and block headers of a zstd stream (RFC 8878) as it passes, without decoding, and
 * refuses a frame whose window is larger than zstd itself decodes by default. fzstd allocates whatever
 * window a frame declares (up to 2 GiB), so this check has to come before the decoder sees the frame.
 */
export class ZstdWindowGuard {
  #step: Step = frameStart();
  readonly #field = Buffer.alloc(16);
  #filled = 0;

  /** Looks at the next bytes of the stream; throws LAYER_UNSUPPORTED for a frame with too large a window. */
  inspect(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const step = this.#step;
      if (step.kind === 'off') return;
      if (step.kind === 'skip') {
        const skipped = Math.min(step.bytes, chunk.length - offset);
        offset += skipped;
        this.#step = skipped === step.bytes ? step.then() : { ...step, bytes: step.bytes - skipped };
        continue;
      }
      const copied = chunk.copy(this.#field, this.#filled, offset, offset + step.bytes - this.#filled);
      offset += copied;
      this.#filled += copied;
      if (this.#filled === step.bytes) {
        this.#filled = 0;
        this.#step = step.then(this.#field.subarray(0, step.bytes));
      }
    }
  }
}

function read(bytes: number, then: (field: Buffer) => Step): Step {
  return { kind: 'read', bytes, then };
}

function skip(bytes: number, then: () => Step): Step {
  return bytes === 0 ? then() : { kind: 'skip', bytes, then };
}

function frameStart(): Step {
  return read(4, (field) => {
    const magic = field.readUInt32LE(0);
    if (magic === ZSTD_MAGIC) return read(1, frameHeader);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      return read(4, (size) => skip(size.readUInt32LE(0), frameStart));
    }
    return { kind: 'off' };
  });
}

function frameHeader(descriptor: Buffer): Step {
  const flags = descriptor[0] ?? 0;
  const singleSegment = (flags & 0x20) !== 0;
  const hasChecksum = (flags & 0x04) !== 0;
  const dictionaryBytes = DICTIONARY_ID_BYTES[flags & 3] ?? 0;
  const contentSizeFlag = flags >> 6;
  const contentSizeBytes =
    contentSizeFlag === 0 ? (singleSegment ? 1 : 0) : (CONTENT_SIZE_BYTES[contentSizeFlag] ?? 0);
  const windowBytes = singleSegment ? 0 : 1;
  return read(windowBytes + dictionaryBytes + contentSizeBytes, (header) => {
    const window = singleSegment
      ? contentSize(header.subarray(dictionaryBytes), contentSizeBytes)
      : windowSize(header[0] ?? 0);
    if (window > MAX_ZSTD_WINDOW_BYTES) throw new LayerUnsupportedError(window, MAX_ZSTD_WINDOW_BYTES);
    return block(hasChecksum);
  });
}

function windowSize(descriptor: number): number {
  const base = 2 ** (10 + (descriptor >> 3));
  return base + (base / 8) * (descriptor & 7);
}

function contentSize(field: Buffer, bytes: number): number {
  if (bytes === 1) return field.readUInt8(0);
  if (bytes === 2) return field.readUInt16LE(0) + 256;
  if (bytes === 4) return field.readUInt32LE(0);
  return Number(field.readBigUInt64LE(0));
}

function block(hasChecksum: boolean): Step {
  return read(3, (header) => {
    const value = header.readUIntLE(0, 3);
    const last = (value & 1) === 1;
    const type = (value >> 1) & 3;
    if (type === RESERVED_BLOCK) return { kind: 'off' };
    const next = (): Step => (!last ? block(hasChecksum) : skip(hasChecksum ? 4 : 0, frameStart));
    return skip(type === RLE_BLOCK ? 1 : value >> 3, next);
  });
}
