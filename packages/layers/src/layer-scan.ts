/** What the walker knows about an entry before it decides to keep it. */
export interface EntryInfo {
  size: number;
  /** Unix permission bits (e.g. 0o755), so analyzers can ask only for executables. */
  mode: number;
  kind: 'file' | 'symlink' | 'hardlink';
}

/** A file kept from a layer (or a directory tree) because an analyzer asked for it. */
export interface CollectedFile {
  /** Relative to the image root, normalised, no leading slash. */
  path: string;
  /** Empty for symlinks. */
  data: Buffer;
  mode: number;
  /** For symlinks: the target as written. Hardlinks arrive as copies of their target's data. */
  linkTarget?: string;
}

export interface LayerLimits {
  /** Largest single file kept in memory; bigger wanted files are skipped with a warning. */
  maxFileBytes: number;
  /** Sum of all kept files' sizes; beyond it the scan fails (an analyzer asked for too much). */
  maxKeptBytes: number;
  /** Decompressed bytes after which the layer is treated as a decompression bomb and the scan fails. */
  maxLayerBytes: number;
  /** Tar entries after which the scan fails. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: LayerLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxKeptBytes: 512 * 1024 * 1024,
  maxLayerBytes: 32 * 1024 * 1024 * 1024,
  maxEntries: 5_000_000,
};

export interface LayerScanOptions {
  /** Media type of the blob; the compression is also sniffed from its first bytes. */
  mediaType?: string;
  /** Expected uncompressed digest (config rootfs.diff_ids); a mismatch fails the scan. */
  diffId?: string | null;
  /** Asked for every regular file, symlink and hardlink; true keeps it (a file's bytes, a link's target). */
  wants(path: string, info: EntryInfo): boolean;
  /**
   * Called, and awaited, as soon as a wanted file has been read completely, before the walk goes on.
   * Returning 'release' drops the file instead of keeping it in `files`: big files analysed one at a
   * time (Go binaries, jars) then cost memory for one file, not for the layer.
   */
  onFile?(file: CollectedFile): 'keep' | 'release' | Promise<'keep' | 'release'>;
  limits?: Partial<LayerLimits>;
  signal?: AbortSignal;
}

/**
 * A file `wants` accepted that the walk could not hand over: bigger than limits.maxFileBytes, a hard
 * link to a file the layer did not keep, or (in a directory) one that cannot be read. Whoever wanted it
 * is missing its content; each is also one of the scan's warnings, word for word.
 */
export interface UnreadFile {
  path: string;
  code: 'FILE_TOO_LARGE' | 'FILE_UNREADABLE';
  reason: string;
}

/** What one pass over one layer yields. Nothing of a layer that fails verification is returned. */
export interface LayerScan {
  files: CollectedFile[];
  /** Paths this layer deletes from lower layers (`a/.wh.b` → `a/b`), normalised. */
  whiteouts: string[];
  /** Directories made opaque by this layer (`a/.wh..wh..opq` → `a`), normalised. */
  opaqueDirs: string[];
  /** sha256 of the uncompressed tar; null when a directory was walked instead of a tar. */
  diffId: string | null;
  compressedBytes: number;
  uncompressedBytes: number;
  entries: number;
  /** Skipped entries and other non-fatal oddities, each naming the path and why. */
  warnings: string[];
  /** Wanted files that were not read; their warnings are among `warnings` too. */
  unread: UnreadFile[];
}
