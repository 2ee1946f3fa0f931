import { LayerKeepsTooMuchError } from './errors.js';
import type { CollectedFile, LayerLimits, LayerScanOptions } from './layer-scan.js';
import type { WalkNotes } from './walk-notes.js';

interface Kept {
  file: CollectedFile;
  /** Bytes this entry holds on its own; a hard link shares its target's buffer and holds none. */
  bytes: number;
}

/**
 * Holds the wanted files of one walk (a tar or a directory): enforces the per-file and total caps,
 * hands each file to `onFile` before the walk goes on, and keeps or drops it as told. A path seen twice
 * keeps its last version, as extracting the layer would.
 */
export class FileKeeper {
  readonly #kept = new Map<string, Kept>();
  readonly #limits: Readonly<LayerLimits>;
  readonly #onFile: LayerScanOptions['onFile'];
  readonly #notes: WalkNotes;
  #keptBytes = 0;

  constructor(limits: Readonly<LayerLimits>, onFile: LayerScanOptions['onFile'], notes: WalkNotes) {
    this.#limits = limits;
    this.#onFile = onFile;
    this.#notes = notes;
  }

  /** False, with a warning and an unread record, for a wanted file too large to hold in memory. */
  fits(path: string, size: number): boolean {
    if (size <= this.#limits.maxFileBytes) return true;
    this.#notes.unreadFile(
      path,
      'FILE_TOO_LARGE',
      `${path}: skipped, ${size} bytes is more than the ${this.#limits.maxFileBytes}-byte limit for one file (limits.maxFileBytes)`,
    );
    return false;
  }

  /** Fails before any byte is read when holding `size` more bytes would pass limits.maxKeptBytes. */
  reserve(path: string, size: number): void {
    const replaced = this.#kept.get(path)?.bytes ?? 0;
    if (this.#keptBytes - replaced + size > this.#limits.maxKeptBytes) {
      throw new LayerKeepsTooMuchError(this.#limits.maxKeptBytes, path);
    }
  }

  /** Hands a complete file to `onFile` and keeps it unless told to release it. */
  async take(file: CollectedFile, bytes: number): Promise<void> {
    const verdict = this.#onFile ? await this.#onFile(file) : 'keep';
    if (verdict === 'release') return this.forget(file.path);
    const replaced = this.#kept.get(file.path);
    this.#keptBytes += bytes - (replaced?.bytes ?? 0);
    this.#kept.set(file.path, { file, bytes });
  }

  /** Drops an earlier version of `path`: a later entry of the walk replaced it with something not kept. */
  forget(path: string): void {
    const replaced = this.#kept.get(path);
    if (!replaced) return;
    this.#keptBytes -= replaced.bytes;
    this.#kept.delete(path);
  }

  /** A file kept earlier in this walk, for hard links to copy. */
  kept(path: string): CollectedFile | undefined {
    return this.#kept.get(path)?.file;
  }

  files(): CollectedFile[] {
    return [...this.#kept.values()].map((kept) => kept.file);
  }
}
