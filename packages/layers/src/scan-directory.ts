import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  LayerTooLargeError,
  LayerTooManyEntriesError,
  RootfsUnreadableError,
  ScanAbortedError,
} from './errors.js';
import { FileKeeper } from './file-keeper.js';
import { WalkNotes } from './walk-notes.js';
import type { EntryInfo, LayerLimits, LayerScan, LayerScanOptions } from './layer-scan.js';
import { resolveLimits } from './limits.js';

export type DirectoryScanOptions = Pick<LayerScanOptions, 'wants' | 'onFile' | 'limits' | 'signal'>;

/** Kernel pseudo filesystems a running system mounts at the root; their contents are not the image's. */
const PSEUDO_FILESYSTEMS = new Set(['proc', 'sys', 'dev']);

/**
 * Walks an unpacked root filesystem with the semantics of `scanLayer`: same `wants`, `onFile` and limits,
 * paths relative to `root`. Symlinks are never followed (so loops cannot happen); sockets, devices and
 * fifos are passed over; `proc`, `sys` and `dev` at the root are not entered. What cannot be read
 * becomes a warning.
 */
export async function scanDirectory(root: string, options: DirectoryScanOptions): Promise<LayerScan> {
  const limits = resolveLimits(options.limits);
  await assertDirectory(root);
  const walk = new DirectoryWalk(root, options, limits);
  await walk.run();
  return {
    files: walk.keeper.files(),
    whiteouts: [],
    opaqueDirs: [],
    diffId: null,
    compressedBytes: 0,
    uncompressedBytes: walk.bytes,
    entries: walk.entries,
    warnings: walk.notes.warnings,
    unread: walk.notes.unread,
  };
}

async function assertDirectory(root: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await stat(root);
  } catch (error) {
    throw new RootfsUnreadableError(root, describeFsError(error), error);
  }
  if (!stats.isDirectory()) throw new RootfsUnreadableError(root, 'it is not a directory');
}

class DirectoryWalk {
  readonly notes = new WalkNotes();
  readonly keeper: FileKeeper;
  entries = 0;
  /** Sum of the regular files' sizes: what the tar of this tree would roughly hold. */
  bytes = 0;
  readonly #root: string;
  readonly #options: DirectoryScanOptions;
  readonly #limits: Readonly<LayerLimits>;

  constructor(root: string, options: DirectoryScanOptions, limits: Readonly<LayerLimits>) {
    this.#root = root;
    this.#options = options;
    this.#limits = limits;
    this.keeper = new FileKeeper(limits, options.onFile, this.notes);
  }

  /** Depth first, names in byte order, with an explicit stack so depth is not bounded by the call stack. */
  async run(): Promise<void> {
    const pending: string[] = [''];
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      const subdirs: string[] = [];
      for (const name of await this.#list(dir)) {
        if (dir === '' && PSEUDO_FILESYSTEMS.has(name)) continue;
        const relative = dir === '' ? name : `${dir}/${name}`;
        if (await this.#visit(relative)) subdirs.push(relative);
      }
      pending.push(...subdirs.reverse());
    }
  }

  async #list(dir: string): Promise<string[]> {
    this.#throwIfAborted();
    try {
      return (await readdir(path.join(this.#root, dir))).sort();
    } catch (error) {
      this.notes.warnings.push(
        `${dir || '.'}: directory skipped, cannot list it (${describeFsError(error)})`,
      );
      return [];
    }
  }

  /** Returns true for a directory to descend into. */
  async #visit(relative: string): Promise<boolean> {
    this.#throwIfAborted();
    if (++this.entries > this.#limits.maxEntries)
      throw new LayerTooManyEntriesError(this.#limits.maxEntries, relative);
    const absolute = path.join(this.#root, relative);
    let stats: Stats;
    try {
      stats = await lstat(absolute);
    } catch (error) {
      this.notes.warnings.push(`${relative}: skipped, cannot stat it (${describeFsError(error)})`);
      return false;
    }
    if (stats.isDirectory()) return true;
    const mode = stats.mode & 0o7777;
    if (stats.isSymbolicLink())
      await this.#visitSymlink(relative, absolute, { size: stats.size, mode, kind: 'symlink' });
    if (stats.isFile()) await this.#visitFile(relative, absolute, { size: stats.size, mode, kind: 'file' });
    return false;
  }

  async #visitSymlink(relative: string, absolute: string, info: EntryInfo): Promise<void> {
    if (!this.#options.wants(relative, info)) return;
    let linkTarget: string;
    try {
      linkTarget = await readlink(absolute);
    } catch (error) {
      this.notes.unreadFile(
        relative,
        'FILE_UNREADABLE',
        `${relative}: skipped, cannot read the link (${describeFsError(error)})`,
      );
      return;
    }
    await this.keeper.take({ path: relative, data: Buffer.alloc(0), mode: info.mode, linkTarget }, 0);
  }

  async #visitFile(relative: string, absolute: string, info: EntryInfo): Promise<void> {
    this.bytes += info.size;
    if (this.bytes > this.#limits.maxLayerBytes) throw new LayerTooLargeError(this.#limits.maxLayerBytes);
    if (!this.#options.wants(relative, info) || !this.keeper.fits(relative, info.size)) return;
    this.keeper.reserve(relative, info.size);
    let data: Buffer;
    try {
      data = await readRegularFile(absolute, info.size);
    } catch (error) {
      this.notes.unreadFile(
        relative,
        'FILE_UNREADABLE',
        `${relative}: skipped, cannot read it (${describeFsError(error)})`,
      );
      return;
    }
    await this.keeper.take({ path: relative, data, mode: info.mode }, data.length);
  }

  #throwIfAborted(): void {
    const signal = this.#options.signal;
    if (signal?.aborted) throw new ScanAbortedError(signal.reason);
  }
}

/**
 * Reads at most `size` bytes (what lstat saw) of a regular file. O_NOFOLLOW: if the path was swapped
 * for a symlink since lstat, the open fails instead of reading outside the tree.
 */
async function readRegularFile(absolute: string, size: number): Promise<Buffer> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw new Error('no longer a regular file');
    const data = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(data, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // A file that shrank since lstat: keep what is there, in a buffer of its real size.
    return filled === size ? data : Buffer.from(data.subarray(0, filled));
  } finally {
    await handle.close();
  }
}

function describeFsError(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
