import path from 'node:path';
import type { CollectedFile } from '@customs/layers';

const MAX_LINK_HOPS = 40;

/** The files one analyzer gets from one layer; symlinks resolve only within the set, with a hop limit. */
export class FileSet {
  readonly #files: ReadonlyMap<string, CollectedFile>;

  constructor(files: Iterable<CollectedFile>) {
    this.#files = new Map([...files].map((file) => [file.path, file]));
  }

  get size(): number {
    return this.#files.size;
  }

  paths(): string[] {
    return [...this.#files.keys()].sort();
  }

  has(filePath: string): boolean {
    return this.resolve(filePath) !== undefined;
  }

  /** The regular file at `filePath`, following symlinks inside the set; undefined if absent or a loop. */
  resolve(filePath: string): CollectedFile | undefined {
    let current = filePath;
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const file = this.#files.get(current);
      if (!file || file.linkTarget === undefined) return file;
      current = resolveLink(current, file.linkTarget);
    }
    return undefined;
  }

  /** Where the symlink at `filePath` points, as written, without following it; undefined for anything else. */
  linkTarget(filePath: string): string | undefined {
    return this.#files.get(filePath)?.linkTarget;
  }

  read(filePath: string): Buffer | undefined {
    return this.resolve(filePath)?.data;
  }

  text(filePath: string): string | undefined {
    return this.read(filePath)?.toString('utf8');
  }
}

/** Where a link at `from` pointing to `target` lands, as an image-root-relative path. */
export function resolveLink(from: string, target: string): string {
  const base = target.startsWith('/') ? '/' : path.posix.dirname('/' + from);
  return path.posix.resolve(base, target).slice(1);
}
