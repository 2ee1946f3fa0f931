import { CustomsError } from '@customs/errors';

/**
 * Just enough of an ELF reader for metadata embedded in executables (Go build info, cargo-auditable
 * dependency lists): named sections and loadable segments, and reads by virtual address. It works on
 * a buffer already in memory and copies nothing.
 */
export interface ElfSection {
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

export interface ElfFile {
  is64: boolean;
  littleEndian: boolean;
  sections: ElfSection[];
  segments: ElfSegment[];
}

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
const SHT_NOBITS = 8;
const SHN_XINDEX = 0xffff;
/** Far above any real binary; a header claiming more is corrupt or hostile. */
const MAX_TABLE_ENTRIES = 1 << 16;

export class ElfFormatError extends CustomsError {
  constructor(problem: string) {
    super('ELF_MALFORMED', `malformed ELF file: ${problem}`, {
      hint: 'the file starts like an ELF executable but its headers are truncated or inconsistent',
    });
  }
}

export function isElf(data: Uint8Array): boolean {
  return data.length >= 16 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

/** Parses the headers of an ELF file; throws ElfFormatError when they do not fit in the buffer. */
export function parseElf(data: Buffer): ElfFile {
  if (!isElf(data)) throw new ElfFormatError('no ELF magic');
  const is64 = data[4] === 2;
  const littleEndian = data[5] !== 2;
  if (data[4] !== 1 && data[4] !== 2) throw new ElfFormatError(`unknown class ${data[4]}`);
  const read = fieldReader(data, is64, littleEndian);
  const header = is64
    ? { phoff: read.word(0x20), shoff: read.word(0x28), phentsize: read.u16(0x36), phnum: read.u16(0x38) }
    : { phoff: read.word(0x1c), shoff: read.word(0x20), phentsize: read.u16(0x2a), phnum: read.u16(0x2c) };
  const shentsize = read.u16(is64 ? 0x3a : 0x2e);
  const shnum = read.u16(is64 ? 0x3c : 0x30);
  const shstrndx = read.u16(is64 ? 0x3e : 0x32);
  const segments = readSegments(read, is64, header.phoff, header.phentsize, header.phnum);
  const sections = readSections(data, read, is64, { shoff: header.shoff, shentsize, shnum, shstrndx });
  return { is64, littleEndian, sections, segments };
}

/** The file bytes of a named section; undefined if absent or without file data (.bss). */
export function sectionData(elf: ElfFile, data: Buffer, name: string): Buffer | undefined {
  const section = elf.sections.find((candidate) => candidate.name === name);
  if (!section || section.type === SHT_NOBITS) return undefined;
  if (section.offset + section.size > data.length) return undefined;
  return data.subarray(section.offset, section.offset + section.size);
}

/** Up to `size` bytes at virtual address `addr`, as the loader would map them; undefined if unmapped. */
export function readVirtual(elf: ElfFile, data: Buffer, addr: number, size: number): Buffer | undefined {
  for (const segment of elf.segments) {
    if (segment.type !== PT_LOAD || segment.filesz === 0) continue;
    if (addr < segment.vaddr || addr >= segment.vaddr + segment.filesz) continue;
    const start = segment.offset + (addr - segment.vaddr);
    const end = Math.min(start + size, segment.offset + segment.filesz, data.length);
    return start < end ? data.subarray(start, end) : undefined;
  }
  return undefined;
}

interface FieldReader {
  u16(at: number): number;
  u32(at: number): number;
  /** A native-width field (32 or 64 bits); NaN when it does not fit a JS number exactly. */
  word(at: number): number;
}

function fieldReader(data: Buffer, is64: boolean, littleEndian: boolean): FieldReader {
  const check = (at: number, width: number) => {
    if (at < 0 || at + width > data.length) throw new ElfFormatError(`header field at ${at} is past the end`);
  };
  const u16 = (at: number) => (check(at, 2), littleEndian ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (at: number) => (check(at, 4), littleEndian ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const u64 = (at: number) => {
    check(at, 8);
    const value = littleEndian ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : Number.NaN;
  };
  return { u16, u32, word: is64 ? u64 : u32 };
}

function readSegments(read: FieldReader, is64: boolean, phoff: number, phentsize: number, phnum: number) {
  checkTable('program header', phoff, phnum);
  const segments: ElfSegment[] = [];
  for (let index = 0; index < phnum; index++) {
    const at = phoff + index * phentsize;
    segments.push(
      is64
        ? {
            type: read.u32(at),
            flags: read.u32(at + 4),
            offset: read.word(at + 8),
            vaddr: read.word(at + 0x10),
            filesz: read.word(at + 0x20),
          }
        : {
            type: read.u32(at),
            offset: read.u32(at + 4),
            vaddr: read.u32(at + 8),
            filesz: read.u32(at + 0x10),
            flags: read.u32(at + 0x18),
          },
    );
  }
  return segments;
}

interface SectionTable {
  shoff: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

function readSections(data: Buffer, read: FieldReader, is64: boolean, table: SectionTable): ElfSection[] {
  if (table.shoff === 0) return [];
  // Extended numbering: counts too big for the header live in section 0 (sh_size, sh_link).
  const shnum = table.shnum === 0 ? read.word(table.shoff + (is64 ? 0x20 : 0x14)) : table.shnum;
  const shstrndx =
    table.shstrndx === SHN_XINDEX ? read.u32(table.shoff + (is64 ? 0x28 : 0x18)) : table.shstrndx;
  checkTable('section header', table.shoff, shnum);
  const raw = Array.from({ length: shnum }, (_, index) => {
    const at = table.shoff + index * table.shentsize;
    return is64
      ? {
          nameAt: read.u32(at),
          type: read.u32(at + 4),
          addr: read.word(at + 0x10),
          offset: read.word(at + 0x18),
          size: read.word(at + 0x20),
        }
      : {
          nameAt: read.u32(at),
          type: read.u32(at + 4),
          addr: read.u32(at + 0xc),
          offset: read.u32(at + 0x10),
          size: read.u32(at + 0x14),
        };
  });
  const names = raw[shstrndx];
  return raw.map(({ nameAt, ...section }) => ({
    ...section,
    name: names ? cString(data, names.offset + nameAt) : '',
  }));
}

function checkTable(what: string, offset: number, count: number): void {
  if (Number.isNaN(offset) || Number.isNaN(count) || count > MAX_TABLE_ENTRIES) {
    throw new ElfFormatError(`${what} table is out of range`);
  }
}

function cString(data: Buffer, at: number): string {
  if (!(at >= 0 && at < data.length)) return '';
  const end = data.indexOf(0, at);
  return data.toString('latin1', at, end < 0 ? data.length : end);
}
