import type { Readable } from 'node:stream';

/**
 * The blob as the caller streams it: counts its bytes and lets the first bytes be looked at before they
 * are read for real. The source's own error comes out of `head` and `chunks` unchanged.
 */
export class CompressedInput {
  bytes = 0;
  readonly #iterator: AsyncIterator<unknown>;
  readonly #peeked: Buffer[] = [];

  constructor(source: Readable) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** Up to `size` first bytes (fewer only if the blob is shorter), without consuming them. */
  async head(size: number): Promise<Buffer> {
    let buffered = this.#peeked.reduce((sum, chunk) => sum + chunk.length, 0);
    while (buffered < size) {
      const chunk = await this.#next();
      if (chunk === null) break;
      this.#peeked.push(chunk);
      buffered += chunk.length;
    }
    return Buffer.concat(this.#peeked).subarray(0, size);
  }

  /** Every byte of the blob, peeked ones first. Stopping early destroys the source. */
  async *chunks(): AsyncGenerator<Buffer> {
    try {
      yield* this.#peeked.splice(0);
      for (let chunk = await this.#next(); chunk !== null; chunk = await this.#next()) yield chunk;
    } finally {
      await this.#iterator.return?.();
    }
  }

  async #next(): Promise<Buffer | null> {
    for (;;) {
      const result = await this.#iterator.next();
      if (result.done) return null;
      const chunk = toBuffer(result.value);
      this.bytes += chunk.length;
      if (chunk.length > 0) return chunk;
    }
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(String(value));
}
