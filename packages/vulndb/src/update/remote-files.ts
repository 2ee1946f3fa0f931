/** One file as a mirror serves it, from `start` on (a resumed download asks for the rest only). */
export interface RemoteFile {
  /** Byte offset the body starts at: the asked-for start, or 0 when the server ignored the range. */
  start: number;
  /** Whole file size, where the server says. */
  size: number | null;
  /** MD5 of the whole file (hex), where the server publishes it: GCS `x-goog-hash`, a plain S3 ETag. */
  md5: string | null;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Where update reads files from: the root of an OSV export (the bucket or a copy of it) over https,
 * or an s3:// prefix holding the same layout. Paths are relative: `Debian/all.zip`.
 */
export interface RemoteFiles {
  /** The root as given (credentials never appear here). */
  readonly description: string;
  /** The file, or null when the store says it does not exist (404, NoSuchKey). Throws on anything else. */
  get(path: string, options: { start: number; signal?: AbortSignal }): Promise<RemoteFile | null>;
  close(): Promise<void>;
}

/** A failure worth another try (server error, 429, broken connection); anything else fails at once. */
export class TransientFetchError extends Error {}

export function joinPath(root: string, path: string): string {
  return `${root.replace(/\/+$/, '')}/${path}`;
}
