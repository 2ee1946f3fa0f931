import { extract, type Header } from 'tar-stream';
import { drainEntry, readEntry, type EntryStream } from './entry-stream.js';
import { normaliseEntryPath, whiteoutMeaning } from './entry-path.js';
import { LayerCorruptError, LayerTooManyEntriesError, LayerTruncatedError } from './errors.js';
import type { FileKeeper } from './file-keeper.js';
import type { EntryInfo, LayerLimits, LayerScanOptions } from './layer-scan.js';
import type { WalkNotes } from './walk-notes.js';

const BLOCK = 512;
/** A tar ends with two zero blocks; GNU tar accepts an archive without them, and so do we, with a warning. */
const END_OF_ARCHIVE_BYTES = 2 * BLOCK;
/** tar-stream's only error at end of input (from its `_final`); it has no error codes to switch on. */
const TAR_STREAM_ENDS_EARLY = 'Unexpected end of data';
const NO_DATA = Buffer.alloc(0);

/** tar-stream reads this option but does not declare it. */
interface ExtractOptions extends NonNullable<Parameters<typeof extract>[0]> {
  /** Also accept pre-POSIX (v7) headers, as GNU tar does; header checksums are still verified. */
  allowUnknownFormat: boolean;
}
const EXTRACT_OPTIONS: ExtractOptions = { allowUnknownFormat: true };

export interface TarWalkOptions {
  wants: LayerScanOptions['wants'];
  keeper: FileKeeper;
  limits: Readonly<LayerLimits>;
  notes: WalkNotes;
}

/** The entry most recently seen, to say where a tar that stops early stops. */
interface LastEntry {
  path: string;
  size: number;
  /** Offset of its data in the uncompressed tar. */
  dataOffset: number;
}

/** What the walk did with an entry's data. */
type Handled = 'read' | 'drain' | 'reader-failed';

/**
 * Walks the entries of an uncompressed tar fed to it chunk by chunk: whiteouts, path normalisation,
 * `wants`, buffering of wanted files, entry limit. Each wanted file is handed over (and `onFile`
 * awaited) before the next entry is parsed, and `write` waits while that happens: backpressure.
 */
export class TarWalk {
  readonly whiteouts: string[] = [];
  readonly opaqueDirs: string[] = [];
  entries = 0;
  readonly #extract = extract(EXTRACT_OPTIONS);
  readonly #options: TarWalkOptions;
  #bytes = 0;
  #last: LastEntry | null = null;
  #failed = false;
  #failure: unknown;

  constructor(options: TarWalkOptions) {
    this.#options = options;
    this.#extract.on('entry', (header, stream, next) => {
      // Without a listener an entry stream destroyed along with the reader would throw.
      stream.on('error', () => {});
      this.#onEntry(header, stream, next).catch((error: unknown) => this.fail(error));
    });
    this.#extract.on('error', (error) => this.#failFromReader(error));
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
    this.#checkEndOfArchive();
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
    this.entries++;
    const path = normaliseEntryPath(header.name);
    const size = header.size ?? 0;
    this.#last = { path: path ?? header.name, size, dataOffset: stream.offset + BLOCK };
    if (this.entries > this.#options.limits.maxEntries) {
      throw new LayerTooManyEntriesError(this.#options.limits.maxEntries, path ?? header.name);
    }
    const handled = await this.#handle(header, path, stream);
    if (handled === 'reader-failed') return;
    if (handled === 'drain' && size > 0 && header.type !== 'directory' && !(await drainEntry(stream))) return;
    next();
  }

  async #handle(header: Header, path: string | null, stream: EntryStream): Promise<Handled> {
    const { keeper, notes } = this.#options;
    if (path === null) {
      notes.warnings.push(`${header.name}: skipped, its path escapes the root of the layer`);
      return 'drain';
    }
    if (path === '' || this.#recordWhiteout(path)) return 'drain';
    const kind = kindOf(header);
    const info: EntryInfo | null = kind && { size: this.#sizeOf(header, kind), mode: modeOf(header), kind };
    if (!info || !this.#options.wants(path, info)) {
      keeper.forget(path);
      return 'drain';
    }
    if (info.kind === 'file') return this.#keepFile(path, info, stream);
    if (info.kind === 'symlink') {
      await keeper.take({ path, data: NO_DATA, mode: info.mode, linkTarget: header.linkname ?? '' }, 0);
      return 'drain';
    }
    await this.#keepHardlink(path, header.linkname ?? '');
    return 'drain';
  }

  async #keepFile(path: string, info: EntryInfo, stream: EntryStream): Promise<Handled> {
    const { keeper } = this.#options;
    if (!keeper.fits(path, info.size)) {
      keeper.forget(path);
      return 'drain';
    }
    keeper.reserve(path, info.size);
    const data = info.size === 0 ? NO_DATA : await readEntry(stream, info.size);
    if (data === null) return 'reader-failed';
    await keeper.take({ path, data, mode: info.mode }, info.size);
    return 'read';
  }

  /** A hard link gets its target's bytes (the same buffer), if the target was kept. */
  async #keepHardlink(path: string, linkname: string): Promise<void> {
    const { keeper, notes } = this.#options;
    const targetPath = normaliseEntryPath(linkname);
    const target = targetPath === null ? undefined : keeper.kept(targetPath);
    if (!target) {
      notes.unreadFile(
        path,
        'FILE_UNREADABLE',
        `${path}: skipped, a hard link to ${linkname}, which this layer did not keep`,
      );
      keeper.forget(path);
      return;
    }
    await keeper.take({ ...target, path }, 0);
  }

  #sizeOf(header: Header, kind: EntryInfo['kind']): number {
    if (kind !== 'hardlink') return header.size ?? 0;
    const targetPath = normaliseEntryPath(header.linkname ?? '');
    return (targetPath === null ? undefined : this.#options.keeper.kept(targetPath))?.data.length ?? 0;
  }

  /** True when the entry is a whiteout, an opaque marker or AUFS metadata rather than content. */
  #recordWhiteout(path: string): boolean {
    const meaning = whiteoutMeaning(path);
    if (meaning.kind === 'whiteout') this.whiteouts.push(meaning.target);
    if (meaning.kind === 'opaque') this.opaqueDirs.push(meaning.dir);
    return meaning.kind !== 'none';
  }

  #checkEndOfArchive(): void {
    const last = this.#last;
    const contentEnd = last ? last.dataOffset + roundUpToBlock(last.size) : 0;
    if (this.#bytes - contentEnd >= END_OF_ARCHIVE_BYTES) return;
    const after = last ? `after its last entry ${last.path}` : 'and has no entries';
    this.#options.notes.warnings.push(
      `the tar lacks its end-of-archive blocks ${after}; read as complete, as GNU tar does`,
    );
  }

  #failFromReader(error: unknown): void {
    if (this.#failed) return;
    const message = error instanceof Error ? error.message : String(error);
    this.#failed = true;
    this.#failure = message === TAR_STREAM_ENDS_EARLY ? this.#truncation() : this.#corruption(message, error);
  }

  #truncation(): LayerTruncatedError {
    const last = this.#last;
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
    const where = this.#last ? `after entry ${this.#last.path}` : 'at its start';
    return new LayerCorruptError(`the layer is not a valid tar ${where}: ${message}`, {
      ...(this.#last && { path: this.#last.path }),
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

function kindOf(header: Header): EntryInfo['kind'] | null {
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return null;
  }
}

function modeOf(header: Header): number {
  return (header.mode ?? 0) & 0o7777;
}

function roundUpToBlock(bytes: number): number {
  return Math.ceil(bytes / BLOCK) * BLOCK;
}
