import type { ErrorCode } from '@customs/errors';

/**
 * A file some analyzer needed (a package database, lockfile or manifest) that it could not read: too
 * big, unreadable, or failing to parse. The packages in it are missing, so an inventory with one of
 * these is incomplete, whatever else it found. An ordinary file nobody asked for never makes one.
 */
export interface UnreadRecord {
  /** The file, relative to the image root; null when an analyzer failed on several files at once. */
  path: string | null;
  code: ErrorCode;
  /** One line naming the file and why it was not read: what a user sees. */
  reason: string;
}

/** An unread file of an image, with the layer it is in (null for the image as a whole). */
export interface IncompleteRecord extends UnreadRecord {
  layer: string | null;
}
