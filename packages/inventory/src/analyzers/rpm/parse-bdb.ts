import { RpmDbError } from './rpmdb-error.js';

/** Berkeley DB constants (libdb dbinc/db_page.h, dbinc/hash.h). */
const HASH_MAGIC = 0x061561;
const PAGE_TYPE = { HASH_UNSORTED: 2, OVERFLOW: 7, HASH_META: 8, HASH: 13 } as const;
/** Item types inside a hash page. */
const ITEM = { KEYDATA: 1, DUPLICATE: 2, OFFPAGE: 3, OFFDUP: 4 } as const;
const PAGE_HEADER_SIZE = 26;
const VALID_PAGE_SIZES = new Set([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]);

export interface BdbBlobs {
  blobs: Uint8Array[];
  warnings: string[];
}

/** A page-aware reader in the database's byte order (BDB writes in the order of the host that made it). */
class Pages {
  readonly pageSize: number;
  readonly lastPage: number;
  readonly #view: DataView;
  readonly #littleEndian: boolean;

  constructor(readonly file: Uint8Array) {
    this.#view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    if (file.byteLength < 512) throw new RpmDbError('file is too short for a Berkeley DB metadata page');
    const magicLe = this.#view.getUint32(12, true);
    if (magicLe !== HASH_MAGIC && this.#view.getUint32(12, false) !== HASH_MAGIC) {
      throw new RpmDbError('not a Berkeley DB hash database (bad magic)');
    }
    this.#littleEndian = magicLe === HASH_MAGIC;
    if (file[25] !== PAGE_TYPE.HASH_META) throw new RpmDbError('page 0 is not a hash metadata page');
    if (file[24] !== 0) throw new RpmDbError('the database is encrypted');
    this.pageSize = this.u32(20);
    if (!VALID_PAGE_SIZES.has(this.pageSize)) throw new RpmDbError(`invalid page size ${this.pageSize}`);
    this.lastPage = this.u32(32);
  }

  u16(at: number): number {
    return this.#view.getUint16(at, this.#littleEndian);
  }

  u32(at: number): number {
    return this.#view.getUint32(at, this.#littleEndian);
  }

  /** Byte offset of a page, or undefined when the file is too short to hold it. */
  start(page: number): number | undefined {
    const start = page * this.pageSize;
    return start + this.pageSize <= this.file.byteLength ? start : undefined;
  }
}

/**
 * Header blobs of rpm's Berkeley DB backend (`Packages`: RHEL ≤ 8, CentOS, Amazon Linux 2, SLES ≤ 15.2).
 * It is a hash database keyed by header number; each value is a header blob, normally too big for a
 * hash page, so it sits on a chain of overflow pages that the hash item points to. Key 0 holds rpm's
 * next free header number and is skipped. Hash pages are walked in page order, as `rpm -qa` does.
 */
export function readBdbBlobs(file: Uint8Array): BdbBlobs {
  const pages = new Pages(file);
  const blobs: Uint8Array[] = [];
  const warnings: string[] = [];
  for (let page = 1; page <= pages.lastPage; page++) {
    const start = pages.start(page);
    if (start === undefined) {
      warnings.push(`page ${page} lies past the end of the file (truncated database)`);
      break;
    }
    const type = file[start + 25];
    if (type !== PAGE_TYPE.HASH && type !== PAGE_TYPE.HASH_UNSORTED) continue;
    readHashPage(pages, page, start, blobs, warnings);
  }
  return { blobs, warnings };
}

function readHashPage(
  pages: Pages,
  page: number,
  start: number,
  blobs: Uint8Array[],
  warnings: string[],
): void {
  const entries = pages.u16(start + 20);
  if (entries % 2 !== 0 || PAGE_HEADER_SIZE + entries * 2 > pages.pageSize) {
    warnings.push(`hash page ${page}: invalid entry count ${entries}`);
    return;
  }
  const offsets = Array.from({ length: entries }, (_, i) => pages.u16(start + PAGE_HEADER_SIZE + i * 2));
  // Items are packed downwards from the end of the page: item i ends where item i-1 starts.
  const item = (i: number) => {
    const from = start + (offsets[i] ?? 0);
    const to = start + (i === 0 ? pages.pageSize : (offsets[i - 1] ?? 0));
    return pages.file.subarray(from, Math.max(from, to));
  };
  for (let i = 0; i < entries; i += 2) {
    const key = item(i);
    if (key[0] === ITEM.KEYDATA && key.subarray(1).every((byte) => byte === 0)) continue;
    const value = item(i + 1);
    try {
      blobs.push(valueBytes(pages, value));
    } catch (error) {
      if (!(error instanceof RpmDbError)) throw error;
      warnings.push(`hash page ${page}, item ${i + 1}: ${error.message}`);
    }
  }
}

function valueBytes(pages: Pages, value: Uint8Array): Uint8Array {
  switch (value[0]) {
    case ITEM.KEYDATA:
      return value.subarray(1);
    case ITEM.OFFPAGE: {
      // HOFFPAGE: type, 3 unused bytes, first overflow page, total length.
      const at = value.byteOffset - pages.file.byteOffset;
      return overflowChain(pages, pages.u32(at + 4), pages.u32(at + 8));
    }
    default:
      throw new RpmDbError(`unsupported hash item type ${value[0]} (rpm never writes duplicates)`);
  }
}

/** Concatenates an overflow chain; each overflow page keeps its byte count where hash pages keep hf_offset. */
function overflowChain(pages: Pages, firstPage: number, totalLength: number): Uint8Array {
  if (totalLength > pages.file.byteLength)
    throw new RpmDbError(`overflow length ${totalLength} exceeds the file`);
  const out = new Uint8Array(totalLength);
  let filled = 0;
  const seen = new Set<number>();
  for (let page = firstPage; page !== 0 && filled < totalLength;) {
    const start = pages.start(page);
    if (start === undefined || seen.has(page)) throw new RpmDbError(`broken overflow chain at page ${page}`);
    seen.add(page);
    if (pages.file[start + 25] !== PAGE_TYPE.OVERFLOW)
      throw new RpmDbError(`page ${page} is not an overflow page`);
    const length = Math.min(pages.u16(start + 22), pages.pageSize - PAGE_HEADER_SIZE, totalLength - filled);
    out.set(pages.file.subarray(start + PAGE_HEADER_SIZE, start + PAGE_HEADER_SIZE + length), filled);
    filled += length;
    page = pages.u32(start + 16);
  }
  if (filled !== totalLength) throw new RpmDbError(`overflow chain holds ${filled} of ${totalLength} bytes`);
  return out;
}
