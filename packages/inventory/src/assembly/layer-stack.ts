import type { LayerAnalysis } from '../layer-analysis.js';

/**
 * The union-filesystem view of a stack of analysed layers (bottom first): which layer's copy of a
 * path is the one an image sees, and which lower copies were deleted or replaced on the way up.
 */
export class LayerStack {
  readonly #layers: readonly LayerAnalysis[];
  readonly #whiteouts: ReadonlyArray<ReadonlySet<string>>;
  readonly #opaqueDirs: ReadonlyArray<readonly string[]>;
  readonly #files: ReadonlyArray<ReadonlySet<string>>;

  constructor(layers: readonly LayerAnalysis[]) {
    this.#layers = layers;
    this.#whiteouts = layers.map((layer) => new Set(layer.whiteouts));
    this.#opaqueDirs = layers.map((layer) => layer.opaqueDirs);
    // A file an analyzer needed but could not read is still there: it hides lower copies as much as a read one.
    this.#files = layers.map(
      (layer) =>
        new Set([
          ...layer.files,
          ...layer.packages.map((pkg) => pkg.path),
          ...layer.unread.flatMap((record) => (record.path === null ? [] : [record.path])),
        ]),
    );
  }

  get length(): number {
    return this.#layers.length;
  }

  /** True when layer `index` itself carries `path` (it read the file there). */
  carries(index: number, path: string): boolean {
    return this.#files[index]?.has(path) ?? false;
  }

  /** True when layer `index` hides lower layers' copy of `path` (a whiteout of it or an ancestor, or an opaque ancestor). */
  hidesBelow(index: number, path: string): boolean {
    const whiteouts = this.#whiteouts[index];
    if (whiteouts && selfOrAncestors(path).some((candidate) => whiteouts.has(candidate))) return true;
    return (this.#opaqueDirs[index] ?? []).some((dir) => dir === '' || path.startsWith(dir + '/'));
  }

  /** True when the copy of `path` in layer `index` is what the final image shows. */
  isVisible(index: number, path: string): boolean {
    for (let upper = index + 1; upper < this.#layers.length; upper++) {
      if (this.carries(upper, path) || this.hidesBelow(upper, path)) return false;
    }
    return true;
  }

  /**
   * The lower layers whose copy of `path` the copy in layer `index` continues, nearest first:
   * the walk stops at a deletion, since a deleted file that comes back is new again.
   */
  *continuedCopies(index: number, path: string): Generator<number> {
    for (let upper = index; upper > 0; upper--) {
      if (this.hidesBelow(upper, path)) return;
      if (this.carries(upper - 1, path)) yield upper - 1;
    }
  }
}

function selfOrAncestors(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, end) => parts.slice(0, end + 1).join('/'));
}
