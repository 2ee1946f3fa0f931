import { closeSync, openSync, read, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { LayerTruncatedError } from './errors.js';

/** A byte range of a local file: a layer blob stored inside an image archive, or a blob file of a layout. */
export interface FileRange {
  file: string;
  start: number;
  size: number;
}

/** How much is read at once around a small piece: the tar headers that follow it are often within. */
const WINDOW_BYTES = 16 * 1024;
const readAsync = promisify(read);

/**
 * Reads pieces of a file range at any offset. Small ones (tar headers) go through one window, read
 * synchronously: a header costs a system call at most, not a trip through libuv's thread pool, which
 * for ten thousand headers is most of the walk's time. Files are read asynchronously.
 */
export class RangeReader {
  readonly size: number;
  readonly #fd: number;
  readonly #range: FileRange;
  #window: Buffer = Buffer.alloc(0);
  /** Offset of the window in the range. */
  #windowStart = 0;

  constructor(range: FileRange) {
    this.#fd = openSync(range.file, 'r');
    this.#range = range;
    this.size = range.size;
  }

  /** `length` bytes at `offset` of the range, valid until the next call (a view of the window). */
  peek(offset: number, length: number): Buffer {
    const within = offset - this.#windowStart;
    if (within < 0 || within + length > this.#window.length) {
      const windowSize = Math.min(Math.max(length, WINDOW_BYTES), this.size - offset);
      const window = Buffer.allocUnsafe(windowSize);
      let filled = 0;
      while (filled < windowSize) {
        const bytesRead = readSync(
          this.#fd,
          window,
          filled,
          windowSize - filled,
          this.#position(offset + filled),
        );
        if (bytesRead === 0) this.#endsEarly(offset + filled, windowSize - filled);
        filled += bytesRead;
      }
      this.#window = window;
      this.#windowStart = offset;
    }
    const start = offset - this.#windowStart;
    return this.#window.subarray(start, start + length);
  }

  /** `length` bytes at `offset` in a buffer of their own (a file kept from the layer must not pin the window). */
  async read(offset: number, length: number): Promise<Buffer> {
    // allocUnsafeSlow: an exact allocation, not a slice of a shared pool that a kept file would pin.
    const buffer = Buffer.allocUnsafeSlow(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await readAsync(
        this.#fd,
        buffer,
        filled,
        length - filled,
        this.#position(offset + filled),
      );
      if (bytesRead === 0) this.#endsEarly(offset + filled, length - filled);
      filled += bytesRead;
    }
    return buffer;
  }

  close(): void {
    closeSync(this.#fd);
  }

  #position(offset: number): number {
    return this.#range.start + offset;
  }

  #endsEarly(offset: number, missing: number): never {
    const message = `${this.#range.file} ends ${missing} bytes early at byte ${this.#position(offset)}: it changed while it was read`;
    throw new LayerTruncatedError(message, null, missing);
  }
}
