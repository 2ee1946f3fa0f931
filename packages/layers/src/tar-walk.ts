import { extract, type Header } from 'tar-stream';
import { drainEntry, readEntry, type EntryStream } from './entry-stream.js';
import { LayerCorruptError, LayerTruncatedError } from './errors.js';
import { BLOCK, roundUpToBlock, TarEntries, type TarEntriesOptions } from './tar-entries.js';

/** tar-stream's only error at end of input (from its `_final`); it has no error codes to switch on. */
const TAR_STREAM_ENDS_EARLY = 'Unexpected end of data';

/** tar-stream reads this option but does not declare it. */
interface ExtractOptions extends NonNullable<Parameters<typeof extract>[0]> {
  /** Also accept pre-POSIX (v7) headers, as GNU tar does; header checksums are still verified. */
  allowUnknownFormat: boolean;
}
const EXTRACT_OPTIONS: ExtractOptions = { allowUnknownFormat: true };

/**
 * Walks the entries of an uncompressed tar fed to it chunk by chunk (what is done with each entry is
 * TarEntries' business). Each wanted file is handed over (and `onFile` awaited) before the next entry
 * is parsed, and `write` waits while that happens: backpressure.
 */
export class TarWalk {
  readonly #extract = extract(EXTRACT_OPTIONS);
  readonly #entries: TarEntries;
  #bytes = 0;
  #failed = false;
  #failure: unknown;

  constructor(options: TarEntriesOptions) {
    this.#entries = new TarEntries(options);
    this.#extract.on('entry', (header, stream, next) => {
      // Without a listener an entry stream destroyed along with the reader would throw.
      stream.on('error', () => {});
      this.#onEntry(header, stream, next).catch((error: unknown) => this.fail(error));
    });
    this.#extract.on('error', (error) => this.#failFromReader(error));
  }

  get whiteouts(): string[] {
    return this.#entries.whiteouts;
  }

  get opaqueDirs(): string[] {
    return this.#entries.opaqueDirs;
  }

  get entries(): number {
    return this.#entries.entries;
  }

  async write(chunk: Buffer): Promise<void> {
    this.#throwIfFailed();
    this.#bytes += chunk.length;
    if (this.#extract.write(chunk)) return;
    await this.#until('drain');
  }

  /** Call once all bytes are written; fails if the tar stops inside an entry. */
  async end(): Promise<void> {
    this.#throwIfFailed();
    this.#extract.end(null);
    await this.#until('finish');
    this.#entries.checkEndOfArchive(this.#bytes);
  }

  /** Stops the walk; `error` is what every pending and later call rejects with. */
  fail(error: unknown): void {
    if (!this.#failed) {
      this.#failed = true;
      this.#failure = error;
    }
    this.#extract.destroy(error instanceof Error ? error : new Error(String(error)));
  }

  async #onEntry(header: Header, stream: EntryStream, next: () => void): Promise<void> {
    const read = (size: number): Promise<Buffer | null> => readEntry(stream, size);
    const handled = await this.#entries.take(header, stream.offset + BLOCK, read);
    if (handled === 'reader-failed') return;
    const size = header.size ?? 0;
    if (handled === 'skip' && size > 0 && header.type !== 'directory' && !(await drainEntry(stream))) return;
    next();
  }

  #failFromReader(error: unknown): void {
    if (this.#failed) return;
    const message = error instanceof Error ? error.message : String(error);
    this.#failed = true;
    this.#failure = message === TAR_STREAM_ENDS_EARLY ? this.#truncation() : this.#corruption(message, error);
  }

  #truncation(): LayerTruncatedError {
    const last = this.#entries.last;
    const bytes = this.#bytes;
    if (last && bytes < last.dataOffset + last.size) {
      const missing = last.dataOffset + last.size - bytes;
      const message = `the tar stops inside ${last.path}: ${missing} of its ${last.size} bytes are missing`;
      return new LayerTruncatedError(message, last.path, missing);
    }
    const missing = roundUpToBlock(bytes) - bytes || BLOCK;
    if (last && bytes < last.dataOffset + roundUpToBlock(last.size)) {
      // What umoci insert 0.4.7 writes: the last file's data is whole, its padding and the end blocks are not.
      const message = `the tar stops in the padding after ${last.path}: its ${last.size} bytes of data are there, but ${missing} bytes of padding and the end-of-archive blocks are missing`;
      return new LayerTruncatedError(message, last.path, missing);
    }
    const where = last ? `after ${last.path}` : 'in its first header';
    const message = `the tar stops inside a 512-byte header block ${where}: ${missing} bytes are missing`;
    return new LayerTruncatedError(message, last?.path ?? null, missing);
  }

  #corruption(message: string, cause: unknown): LayerCorruptError {
    const last = this.#entries.last;
    const where = last ? `after entry ${last.path}` : 'at its start';
    return new LayerCorruptError(`the layer is not a valid tar ${where}: ${message}`, {
      ...(last && { path: last.path }),
      cause,
    });
  }

  #throwIfFailed(): void {
    if (this.#failed) throw this.#failure;
  }

  /** Waits for `event`; rejects with the walk's failure if the reader stops first. */
  #until(event: 'drain' | 'finish'): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (reached: boolean): void => {
        this.#extract.off(event, onEvent).off('close', onClose);
        if (reached) resolve();
        else reject(this.#failed ? this.#failure : new Error(`the tar reader closed before '${event}'`));
      };
      const onEvent = (): void => settle(true);
      const onClose = (): void => settle(false);
      this.#extract.once(event, onEvent).once('close', onClose);
    });
  }
}
