/**
 * Builds small synthetic ELF files for tests: each section gets its own loadable segment at the
 * address asked for, so readers can be exercised on layouts no toolchain at hand produces (32-bit
 * big-endian, pre-Go-1.18 build info, cargo-auditable sections). Not used by any analyzer.
 */
export interface SyntheticSection {
  name: string;
  addr: number;
  data: Buffer;
  /** Segment flags; read-write by default. */
  flags?: number;
}

export interface SyntheticElfOptions {
  is64: boolean;
  littleEndian: boolean;
  sections: SyntheticSection[];
  /** Leave out the section header table, as `strip --strip-section-headers` does. */
  withoutSectionHeaders?: boolean;
}

const PT_LOAD = 1;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const PF_RW = 6;

export function syntheticElf(options: SyntheticElfOptions): Buffer {
  const { is64, sections } = options;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const names = shstrtab(sections.map((section) => section.name));
  let cursor = align(ehsize + phentsize * sections.length, 16);
  const placed = sections.map((section) => {
    const offset = cursor;
    cursor = align(offset + section.data.length, 16);
    return { ...section, offset };
  });
  const namesOffset = cursor;
  const shoff = align(namesOffset + names.table.length, 8);
  const shnum = options.withoutSectionHeaders ? 0 : sections.length + 2;
  const file = Buffer.alloc(shoff + shentsize * shnum);
  const write = writer(file, options);

  file.write('\x7fELF', 0, 'latin1');
  file[4] = is64 ? 2 : 1;
  file[5] = options.littleEndian ? 1 : 2;
  file[6] = 1;
  write.u16(16, 2); // ET_EXEC
  write.u32(20, 1);
  write.word(is64 ? 0x20 : 0x1c, ehsize); // e_phoff
  write.word(is64 ? 0x28 : 0x20, shnum ? shoff : 0); // e_shoff
  write.u16(is64 ? 0x34 : 0x28, ehsize);
  write.u16(is64 ? 0x36 : 0x2a, phentsize);
  write.u16(is64 ? 0x38 : 0x2c, sections.length);
  write.u16(is64 ? 0x3a : 0x2e, shentsize);
  write.u16(is64 ? 0x3c : 0x30, shnum);
  write.u16(is64 ? 0x3e : 0x32, shnum ? sections.length + 1 : 0);

  placed.forEach((section, index) => {
    section.data.copy(file, section.offset);
    const at = ehsize + index * phentsize;
    const flags = section.flags ?? PF_RW;
    write.u32(at, PT_LOAD);
    if (is64) {
      write.u32(at + 4, flags);
      write.word(at + 8, section.offset);
      write.word(at + 0x10, section.addr);
      write.word(at + 0x20, section.data.length);
      write.word(at + 0x28, section.data.length);
    } else {
      write.u32(at + 4, section.offset);
      write.u32(at + 8, section.addr);
      write.u32(at + 0x10, section.data.length);
      write.u32(at + 0x14, section.data.length);
      write.u32(at + 0x18, flags);
    }
  });
  names.table.copy(file, namesOffset);
  if (!shnum) return file;
  const headers = [
    ...placed.map((section, index) => ({
      ...section,
      type: SHT_PROGBITS,
      nameAt: names.offsets[index] ?? 0,
    })),
    {
      addr: 0,
      offset: namesOffset,
      data: names.table,
      type: SHT_STRTAB,
      nameAt: names.offsets[sections.length] ?? 0,
    },
  ];
  headers.forEach((header, index) => {
    const at = shoff + (index + 1) * shentsize;
    write.u32(at, header.nameAt);
    write.u32(at + 4, header.type);
    write.word(at + (is64 ? 0x10 : 0xc), header.addr);
    write.word(at + (is64 ? 0x18 : 0x10), header.offset);
    write.word(at + (is64 ? 0x20 : 0x14), header.data.length);
  });
  return file;
}

function shstrtab(names: string[]): { table: Buffer; offsets: number[] } {
  const all = [...names, '.shstrtab'];
  const offsets: number[] = [];
  let text = '\0';
  for (const name of all) {
    offsets.push(text.length);
    text += `${name}\0`;
  }
  return { table: Buffer.from(text, 'latin1'), offsets };
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

function writer(file: Buffer, { is64, littleEndian }: SyntheticElfOptions) {
  const u16 = (at: number, value: number) =>
    littleEndian ? file.writeUInt16LE(value, at) : file.writeUInt16BE(value, at);
  const u32 = (at: number, value: number) =>
    littleEndian ? file.writeUInt32LE(value, at) : file.writeUInt32BE(value, at);
  const u64 = (at: number, value: number) =>
    littleEndian ? file.writeBigUInt64LE(BigInt(value), at) : file.writeBigUInt64BE(BigInt(value), at);
  return { u16, u32, word: is64 ? u64 : u32 };
}
