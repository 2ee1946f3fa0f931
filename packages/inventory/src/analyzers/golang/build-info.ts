import { CustomsError } from '@customs/errors';
import { PF_W, PF_X, PT_LOAD, isElf, parseElf, readVirtual, type ElfFile } from '../../binary/elf.js';

/**
 * The two strings the Go linker embeds in every binary it links: the toolchain version
 * (runtime.buildVersion) and the module information (runtime.modinfo, empty in GOPATH mode before
 * Go 1.18). Layout as documented by Go's debug/buildinfo: a 32-byte header starting with
 * "\xff Go buildinf:", 16-byte aligned near the start of the data segment; byte 14 is the pointer
 * size, byte 15 holds flags (bit 0 big endian, bit 1 strings inline). Go ≥ 1.18 writes the strings
 * inline after the header as uvarint-length-prefixed bytes; older linkers store two pointers to Go
 * string headers instead, which only a virtual-address mapping can follow.
 */
export interface GoBuildInfo {
  goVersion: string;
  modInfo: string;
}

export class GoBuildInfoError extends CustomsError {
  constructor(problem: string) {
    super('GO_BUILDINFO_UNREADABLE', `Go build information cannot be read: ${problem}`, {
      hint: 'the binary was not analysed; its Go modules and toolchain are missing from the inventory',
    });
  }
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const ALIGN = 16;
const SEARCH_WINDOW = 64 * 1024;
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE = 2;
/** Module info of real binaries is a few KiB; kubelet-sized ones stay far below this. */
const MAX_STRING = 4 * 1024 * 1024;
/** cmd/go wraps modinfo in two 16-byte sentinels; the byte before the closing one is a newline. */
const SENTINEL = 16;

/** Build information of a Go executable; null when the file is not one. */
export function readGoBuildInfo(data: Buffer): GoBuildInfo | null {
  if (isElf(data)) return fromElf(data, parseElf(data));
  if (isPe(data) || isMachO(data)) return fromOtherFormat(data);
  return null;
}

function fromElf(data: Buffer, elf: ElfFile): GoBuildInfo | null {
  const window = elfSearchWindow(elf, data);
  if (!window) return null;
  const readAt = (addr: number, size: number) => readVirtual(elf, data, addr, size);
  for (const at of alignedMagic(window)) {
    const info = decodeBlob(window.subarray(at), readAt);
    if (info) return info;
  }
  return null;
}

/** Where Go's own reader looks: the .go.buildinfo section, else the first writable data segment. */
function elfSearchWindow(elf: ElfFile, data: Buffer): Buffer | undefined {
  const section = elf.sections.find((candidate) => candidate.name === '.go.buildinfo');
  if (section) {
    const mapped = readVirtual(elf, data, section.addr, SEARCH_WINDOW);
    if (mapped) return mapped;
    return data.subarray(section.offset, Math.min(section.offset + SEARCH_WINDOW, data.length));
  }
  const dataSegment = elf.segments.find(
    (segment) => segment.type === PT_LOAD && (segment.flags & (PF_X | PF_W)) === PF_W && segment.filesz > 0,
  );
  return dataSegment ? readVirtual(elf, data, dataSegment.vaddr, SEARCH_WINDOW) : undefined;
}

/**
 * PE and Mach-O binaries are searched whole instead of parsing their headers: the inline format needs
 * no address mapping, and its header is aligned in the file as it is in memory.
 */
function fromOtherFormat(data: Buffer): GoBuildInfo | null {
  let pointerFormat = false;
  for (const at of alignedMagic(data)) {
    const blob = data.subarray(at);
    if (blob.length < HEADER_SIZE) break;
    if (((blob[15] ?? 0) & FLAG_INLINE) === 0) {
      pointerFormat = true;
      continue;
    }
    const info = decodeBlob(blob, () => undefined);
    if (info) return info;
  }
  if (pointerFormat) throw new GoBuildInfoError('pre-Go 1.18 build info is only read from ELF binaries');
  return null;
}

function* alignedMagic(window: Buffer): Generator<number> {
  for (let at = window.indexOf(MAGIC); at >= 0; at = window.indexOf(MAGIC, at + 1)) {
    if (at % ALIGN === 0 && window.length - at >= HEADER_SIZE) yield at;
  }
}

type ReadAt = (addr: number, size: number) => Buffer | undefined;

/** The version string, and the module info still in its sentinel frame (binary bytes, not UTF-8). */
interface RawStrings {
  goVersion: string;
  framedModInfo: Buffer;
}

function decodeBlob(blob: Buffer, readAt: ReadAt): GoBuildInfo | null {
  const flags = blob[15] ?? 0;
  const strings =
    flags & FLAG_INLINE ? inlineStrings(blob.subarray(HEADER_SIZE)) : pointedStrings(blob, readAt);
  if (!strings || !/^(go\d|devel )/.test(strings.goVersion)) return null;
  return { goVersion: strings.goVersion, modInfo: unframe(strings.framedModInfo) };
}

function inlineStrings(data: Buffer): RawStrings | null {
  const version = uvarintBytes(data, 0);
  if (!version) return null;
  const mod = uvarintBytes(data, version.next);
  return { goVersion: version.bytes.toString('utf8'), framedModInfo: mod?.bytes ?? Buffer.alloc(0) };
}

function uvarintBytes(data: Buffer, at: number): { bytes: Buffer; next: number } | null {
  let length = 0;
  let shift = 0;
  let cursor = at;
  for (;;) {
    const byte = data[cursor++];
    if (byte === undefined || shift > 28) return null;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  if (length > MAX_STRING || cursor + length > data.length) return null;
  return { bytes: data.subarray(cursor, cursor + length), next: cursor + length };
}

function pointedStrings(header: Buffer, readAt: ReadAt): RawStrings | null {
  const ptrSize = header[14];
  if (ptrSize !== 4 && ptrSize !== 8) return null;
  const bigEndian = ((header[15] ?? 0) & FLAG_BIG_ENDIAN) !== 0;
  const pointer = (bytes: Buffer, at: number) => readPointer(bytes, at, ptrSize, bigEndian);
  const goString = (addr: number) => {
    const stringHeader = readAt(addr, 2 * ptrSize);
    if (!stringHeader || stringHeader.length < 2 * ptrSize) return null;
    const length = pointer(stringHeader, ptrSize);
    if (!(length <= MAX_STRING)) return null;
    const bytes = length === 0 ? Buffer.alloc(0) : readAt(pointer(stringHeader, 0), length);
    return bytes && bytes.length === length ? bytes : null;
  };
  const goVersion = goString(pointer(header, 16));
  if (!goVersion) return null;
  return {
    goVersion: goVersion.toString('utf8'),
    framedModInfo: goString(pointer(header, 16 + ptrSize)) ?? Buffer.alloc(0),
  };
}

function readPointer(bytes: Buffer, at: number, size: 4 | 8, bigEndian: boolean): number {
  if (size === 4) return bigEndian ? bytes.readUInt32BE(at) : bytes.readUInt32LE(at);
  const value = bigEndian ? bytes.readBigUInt64BE(at) : bytes.readBigUInt64LE(at);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN;
}

function unframe(bytes: Buffer): string {
  if (bytes.length < 2 * SENTINEL + 1 || bytes[bytes.length - SENTINEL - 1] !== 0x0a) return '';
  return bytes.toString('utf8', SENTINEL, bytes.length - SENTINEL);
}

function isPe(data: Buffer): boolean {
  return data.length >= 64 && data[0] === 0x4d && data[1] === 0x5a;
}

function isMachO(data: Buffer): boolean {
  if (data.length < 4) return false;
  const magic = data.readUInt32BE(0);
  return magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe;
}
