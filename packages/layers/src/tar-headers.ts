import type { RangeReader } from './file-range.js';
import { BLOCK, roundUpToBlock, type TarHeader } from './tar-entries.js';

/** An entry of a tar read in place: its header, and where its data starts in the tar. */
export interface HeaderAt {
  header: TarHeader;
  dataOffset: number;
}

/** tar-stream's cap on a pax or GNU long-name record; a bigger one fails the streamed walk. */
const MAX_META_BYTES = 4 * 1024 * 1024;
/** The checksum of a block whose bytes are all zero (the checksum field counts as eight spaces). */
const EMPTY_BLOCK_CHECKSUM = 8 * 0x20;

/** Records that change the next entry's header (pax, GNU long names), as tar-stream keeps them. */
interface Pending {
  longPath: string | null;
  longLinkPath: string | null;
  pax: Record<string, string> | null;
  paxGlobal: Record<string, string> | null;
}

/**
 * The entries of a tar, from its headers alone: the data between them is never read. Decodes exactly
 * as tar-stream does (with allowUnknownFormat) wherever the tar is well formed; returns null at the
 * first thing the streamed walk would stop at or treat specially (a bad checksum, a tar that ends
 * early, a size that is not a plain number, more than `maxEntries` entries), so that the caller streams
 * the tar instead and reports it exactly as before.
 */
export function readTarHeaders(reader: RangeReader, maxEntries: number): HeaderAt[] | null {
  const entries: HeaderAt[] = [];
  const pending: Pending = { longPath: null, longLinkPath: null, pax: null, paxGlobal: null };
  let position = 0;
  while (position < reader.size) {
    if (reader.size - position < BLOCK) return null;
    const block = reader.peek(position, BLOCK);
    const checksum = checksumOf(block);
    if (checksum === EMPTY_BLOCK_CHECKSUM) {
      position += BLOCK;
      continue;
    }
    if (checksum !== decodeOctal(block, 148, 8)) return null;
    const dataOffset = position + BLOCK;
    const header = decodeHeader(block);
    const meta = isMeta(header.type);
    const entry = meta ? header : applyPending(header, pending);
    const size = entry.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return null;
    position = dataOffset + roundUpToBlock(size);
    if (position > reader.size) return null;
    if (meta) {
      if (size > MAX_META_BYTES) return null;
      readMeta(header.type, reader.peek(dataOffset, size), pending);
      continue;
    }
    // tar-stream reads no data after a directory header, whatever its size says.
    if (entry.type === 'directory' && size > 0) return null;
    entries.push({ header: entry, dataOffset });
    if (entries.length > maxEntries) return null;
  }
  return entries;
}

function isMeta(type: string | null): boolean {
  return (
    type === 'gnu-long-path' ||
    type === 'gnu-long-link-path' ||
    type === 'pax-global-header' ||
    type === 'pax-header'
  );
}

function readMeta(type: string | null, data: Buffer, pending: Pending): void {
  if (type === 'gnu-long-path') pending.longPath = decodeString(data, 0, data.length);
  else if (type === 'gnu-long-link-path') pending.longLinkPath = decodeString(data, 0, data.length);
  else if (type === 'pax-global-header') pending.paxGlobal = decodePax(data);
  else pending.pax = { ...pending.paxGlobal, ...decodePax(data) };
}

/** The long names and pax records read before `header`, applied to it (and then forgotten). */
function applyPending(header: TarHeader, pending: Pending): TarHeader {
  const entry = { ...header };
  if (pending.longPath) entry.name = pending.longPath;
  if (pending.longLinkPath) entry.linkname = pending.longLinkPath;
  const pax = pending.pax;
  if (pax) {
    if (pax.path) entry.name = pax.path;
    if (pax.linkpath) entry.linkname = pax.linkpath;
    if (pax.size) entry.size = parseInt(pax.size, 10);
  }
  pending.longPath = null;
  pending.longLinkPath = null;
  pending.pax = null;
  return entry;
}

/** tar-stream's headers.decode (with allowUnknownFormat), for the fields a walk reads. */
function decodeHeader(block: Buffer): TarHeader {
  let typeflag = block[156] === 0 ? 0 : (block[156] ?? 0) - 0x30;
  let name = decodeString(block, 0, 100);
  if (isUstar(block) && block[345]) name = `${decodeString(block, 345, 155)}/${name}`;
  if (typeflag === 0 && name.endsWith('/')) typeflag = 5;
  return {
    name,
    // A flag tar-stream does not know becomes null, which the walk passes over like a device.
    type: TYPES.get(typeflag) ?? null,
    size: decodeOctal(block, 124, 12),
    mode: decodeOctal(block, 100, 8),
    linkname: block[157] === 0 ? null : decodeString(block, 157, 100),
  };
}

function isUstar(block: Buffer): boolean {
  return block.toString('latin1', 257, 263) === 'ustar\0';
}

function checksumOf(block: Buffer): number {
  let sum = EMPTY_BLOCK_CHECKSUM;
  for (let i = 0; i < 148; i++) sum += block[i] ?? 0;
  for (let i = 156; i < BLOCK; i++) sum += block[i] ?? 0;
  return sum;
}

const TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'file'],
  [1, 'link'],
  [2, 'symlink'],
  [3, 'character-device'],
  [4, 'block-device'],
  [5, 'directory'],
  [6, 'fifo'],
  [7, 'contiguous-file'],
  [72, 'pax-header'],
  [55, 'pax-global-header'],
  [27, 'gnu-long-link-path'],
  [28, 'gnu-long-path'],
  [30, 'gnu-long-path'],
]);

/** The text up to the first NUL of a field. */
function decodeString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** An octal field (leading spaces, NULs, a space or NUL after), or base-256 when its high bit is set. */
function decodeOctal(block: Buffer, start: number, length: number): number | null {
  const field = block.subarray(start, start + length);
  if ((field[0] ?? 0) & 0x80) return decodeBase256(field);
  let from = 0;
  while (from < field.length && field[from] === 0x20) from++;
  const space = field.indexOf(0x20, from);
  const end = space === -1 ? field.length : space;
  while (from < end && field[from] === 0) from++;
  return end === from ? 0 : parseInt(field.toString('utf8', from, end), 8);
}

function decodeBase256(field: Buffer): number | null {
  const positive = field[0] === 0x80;
  if (!positive && field[0] !== 0xff) return null;
  let sum = 0;
  for (let i = 1; i < field.length; i++) {
    const byte = field[i] ?? 0;
    sum = sum * 256 + (positive ? byte : 0xff - byte);
  }
  return positive ? sum : -sum;
}

/** pax records, `<length> <key>=<value>\n` each; stops at the first malformed one, as tar-stream does. */
function decodePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let rest = data;
  while (rest.length) {
    let space = 0;
    while (space < rest.length && rest[space] !== 0x20) space++;
    const length = parseInt(rest.toString('utf8', 0, space), 10);
    if (!length) return records;
    const record = rest.toString('utf8', space + 1, length - 1);
    const equals = record.indexOf('=');
    if (equals === -1) return records;
    records[record.slice(0, equals)] = record.slice(equals + 1);
    rest = rest.subarray(length);
  }
  return records;
}
