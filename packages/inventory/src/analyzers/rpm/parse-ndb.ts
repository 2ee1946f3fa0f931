import { RpmDbError } from './rpmdb-error.js';

/** rpm's NDB format (lib/backend/ndb/rpmpkg.c): little-endian, 16-byte blocks, 4 KiB slot pages. */
const DB_MAGIC = fourCC('RpmP');
const SLOT_MAGIC = fourCC('Slot');
const BLOB_HEAD_MAGIC = fourCC('BlbS');
const BLOB_TAIL_MAGIC = fourCC('BlbE');
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const BLOCK_SIZE = 16;
const SLOT_PAGE_SIZE = 4096;
const BLOB_HEAD_SIZE = 16;
const BLOB_TAIL_SIZE = 12;
/** rpm needs one slot per package; go-rpmdb caps slot pages at 2048 (500k packages) against bad input. */
const MAX_SLOT_PAGES = 2048;

function fourCC(text: string): number {
  return Buffer.from(text, 'latin1').readUInt32LE(0);
}

export interface NdbBlobs {
  blobs: Uint8Array[];
  warnings: string[];
}

interface Slot {
  pkgIndex: number;
  blockOffset: number;
  blockCount: number;
}

/**
 * Header blobs of rpm's NDB backend (`Packages.db`, SUSE since SLE 15 SP3 / openSUSE). A 32-byte header
 * gives the number of slot pages; each used slot points at a blob: head (magic, package index,
 * generation, length), the header bytes, padding, tail (checksum, length, magic). Blobs are listed in
 * block order, as `rpm -qa` lists them.
 */
export function readNdbBlobs(file: Uint8Array): NdbBlobs {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.byteLength < HEADER_SIZE || view.getUint32(0, true) !== DB_MAGIC) {
    throw new RpmDbError('not an rpm NDB database (bad magic)');
  }
  if (view.getUint32(4, true) !== 0)
    throw new RpmDbError(`unsupported NDB version ${view.getUint32(4, true)}`);
  const slotPages = view.getUint32(12, true);
  if (slotPages === 0 || slotPages > MAX_SLOT_PAGES || slotPages * SLOT_PAGE_SIZE > file.byteLength) {
    throw new RpmDbError(`invalid slot page count ${slotPages}`);
  }
  const slots = readSlots(view, slotPages).sort((a, b) => a.blockOffset - b.blockOffset);
  const blobs: Uint8Array[] = [];
  const warnings: string[] = [];
  for (const slot of slots) {
    const blob = readBlob(file, view, slot);
    if (typeof blob === 'string') warnings.push(`package index ${slot.pkgIndex}: ${blob}`);
    else blobs.push(blob);
  }
  return { blobs, warnings };
}

function readSlots(view: DataView, slotPages: number): Slot[] {
  const slots: Slot[] = [];
  // The database header occupies the first two slots of page 0.
  for (let at = HEADER_SIZE; at < slotPages * SLOT_PAGE_SIZE; at += SLOT_SIZE) {
    if (view.getUint32(at, true) !== SLOT_MAGIC) throw new RpmDbError(`bad slot magic at byte ${at}`);
    const blockOffset = view.getUint32(at + 8, true);
    if (blockOffset === 0) continue; // a free slot
    slots.push({
      pkgIndex: view.getUint32(at + 4, true),
      blockOffset,
      blockCount: view.getUint32(at + 12, true),
    });
  }
  return slots;
}

function readBlob(file: Uint8Array, view: DataView, slot: Slot): Uint8Array | string {
  const start = slot.blockOffset * BLOCK_SIZE;
  const end = start + slot.blockCount * BLOCK_SIZE;
  if (end > file.byteLength || slot.blockCount * BLOCK_SIZE < BLOB_HEAD_SIZE + BLOB_TAIL_SIZE) {
    return `blob at block ${slot.blockOffset} (${slot.blockCount} blocks) does not fit the file`;
  }
  if (view.getUint32(start, true) !== BLOB_HEAD_MAGIC) return 'bad blob head magic';
  if (view.getUint32(start + 4, true) !== slot.pkgIndex) return 'blob belongs to another package index';
  const length = view.getUint32(start + 12, true);
  const blocks = Math.ceil((BLOB_HEAD_SIZE + length + BLOB_TAIL_SIZE) / BLOCK_SIZE);
  if (blocks !== slot.blockCount) return `blob length ${length} does not match ${slot.blockCount} blocks`;
  const tail = end - BLOB_TAIL_SIZE;
  if (view.getUint32(tail + 4, true) !== length || view.getUint32(tail + 8, true) !== BLOB_TAIL_MAGIC) {
    return 'bad blob tail';
  }
  return file.subarray(start + BLOB_HEAD_SIZE, start + BLOB_HEAD_SIZE + length);
}
