import { normaliseEntryPath, whiteoutMeaning } from './entry-path.js';
import { LayerTooManyEntriesError } from './errors.js';
import type { FileKeeper } from './file-keeper.js';
import type { EntryInfo, LayerLimits, LayerScanOptions } from './layer-scan.js';
import type { WalkNotes } from './walk-notes.js';

export const BLOCK = 512;
/** A tar ends with two zero blocks; GNU tar accepts an archive without them, and so do we, with a warning. */
const END_OF_ARCHIVE_BYTES = 2 * BLOCK;
const NO_DATA = Buffer.alloc(0);

/** The fields of a tar header an entry is judged by, as tar-stream decodes them (its Header has them all). */
export interface TarHeader {
  name: string;
  /** tar-stream's name for the type flag (`file`, `symlink`, `pax-header`…); null for a flag it does not know. */
  type: string | null;
  size?: number | null;
  linkname?: string | null;
  mode?: number | null;
}

export interface TarEntriesOptions {
  wants: LayerScanOptions['wants'];
  keeper: FileKeeper;
  limits: Readonly<LayerLimits>;
  notes: WalkNotes;
}

/** The entry most recently seen, to say where a tar that stops early stops. */
export interface LastEntry {
  path: string;
  size: number;
  /** Offset of its data in the uncompressed tar. */
  dataOffset: number;
}

/** Reads an entry's data: exactly `size` bytes, or null when the tar reader failed on the way (it says why). */
export type ReadData = (size: number) => Promise<Buffer | null>;

/** What was done with an entry's data: read, to be skipped, or not read because the reader failed. */
export type Handled = 'read' | 'skip' | 'reader-failed';

/**
 * What a layer walk does with each tar entry, however its bytes arrive (streamed, or read in place from
 * a file): whiteouts, path normalisation, `wants`, buffering of wanted files, hard links, entry limit.
 */
export class TarEntries {
  readonly whiteouts: string[] = [];
  readonly opaqueDirs: string[] = [];
  entries = 0;
  last: LastEntry | null = null;
  readonly #options: TarEntriesOptions;

  constructor(options: TarEntriesOptions) {
    this.#options = options;
  }

  /** Judges one entry whose data starts at `dataOffset`; its data is read through `read` only if kept. */
  async take(header: TarHeader, dataOffset: number, read: ReadData): Promise<Handled> {
    this.entries++;
    const path = normaliseEntryPath(header.name);
    this.last = { path: path ?? header.name, size: header.size ?? 0, dataOffset };
    if (this.entries > this.#options.limits.maxEntries) {
      throw new LayerTooManyEntriesError(this.#options.limits.maxEntries, path ?? header.name);
    }
    return this.#handle(header, path, read);
  }

  /** A warning when `totalBytes` of tar end without the end-of-archive blocks after the last entry. */
  checkEndOfArchive(totalBytes: number): void {
    const last = this.last;
    const contentEnd = last ? last.dataOffset + roundUpToBlock(last.size) : 0;
    if (totalBytes - contentEnd >= END_OF_ARCHIVE_BYTES) return;
    const after = last ? `after its last entry ${last.path}` : 'and has no entries';
    this.#options.notes.warnings.push(
      `the tar lacks its end-of-archive blocks ${after}; read as complete, as GNU tar does`,
    );
  }

  async #handle(header: TarHeader, path: string | null, read: ReadData): Promise<Handled> {
    const { keeper, notes } = this.#options;
    if (path === null) {
      notes.warnings.push(`${header.name}: skipped, its path escapes the root of the layer`);
      return 'skip';
    }
    if (path === '' || this.#recordWhiteout(path)) return 'skip';
    const kind = kindOf(header);
    const info: EntryInfo | null = kind && { size: this.#sizeOf(header, kind), mode: modeOf(header), kind };
    if (!info || !this.#options.wants(path, info)) {
      keeper.forget(path);
      return 'skip';
    }
    if (info.kind === 'file') return this.#keepFile(path, info, read);
    if (info.kind === 'symlink') {
      await keeper.take({ path, data: NO_DATA, mode: info.mode, linkTarget: header.linkname ?? '' }, 0);
      return 'skip';
    }
    await this.#keepHardlink(path, header.linkname ?? '');
    return 'skip';
  }

  async #keepFile(path: string, info: EntryInfo, read: ReadData): Promise<Handled> {
    const { keeper } = this.#options;
    if (!keeper.fits(path, info.size)) {
      keeper.forget(path);
      return 'skip';
    }
    keeper.reserve(path, info.size);
    const data = info.size === 0 ? NO_DATA : await read(info.size);
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

  #sizeOf(header: TarHeader, kind: EntryInfo['kind']): number {
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
}

function kindOf(header: TarHeader): EntryInfo['kind'] | null {
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

function modeOf(header: TarHeader): number {
  return (header.mode ?? 0) & 0o7777;
}

export function roundUpToBlock(bytes: number): number {
  return Math.ceil(bytes / BLOCK) * BLOCK;
}
