import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { PT_LOAD, isElf, parseElf, readVirtual, sectionData } from './elf.js';
import { syntheticElf } from './synthetic-elf.js';

const goFixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/golang/${name}`, import.meta.url)));

test('reads the sections and segments of a real Go binary (values from readelf -SW / -lW)', () => {
  const data = goFixture('module-vendored-stripped');
  const elf = parseElf(data);
  assert.equal(elf.is64, true);
  assert.equal(elf.littleEndian, true);
  assert.deepEqual(
    elf.sections.map((section) => section.name),
    [
      '',
      '.text',
      '.rodata',
      '.shstrtab',
      '.typelink',
      '.itablink',
      '.gosymtab',
      '.gopclntab',
      '.go.buildinfo',
      '.noptrdata',
      '.data',
      '.bss',
      '.noptrbss',
      '.note.go.buildid',
    ],
  );
  assert.deepEqual(
    elf.sections.find((section) => section.name === '.go.buildinfo'),
    { name: '.go.buildinfo', type: 1, addr: 0x4e1000, offset: 0xe1000, size: 0x1c0 },
  );
  assert.deepEqual(
    elf.segments.filter((segment) => segment.type === PT_LOAD),
    [
      { type: PT_LOAD, flags: 5, offset: 0, vaddr: 0x400000, filesz: 0x6707f },
      { type: PT_LOAD, flags: 4, offset: 0x68000, vaddr: 0x468000, filesz: 0x78740 },
      { type: PT_LOAD, flags: 6, offset: 0xe1000, vaddr: 0x4e1000, filesz: 0x14020 },
    ],
  );
  assert.equal(
    sectionData(elf, data, '.go.buildinfo')?.subarray(0, 14).toString('latin1'),
    '\xff Go buildinf:',
  );
  assert.equal(sectionData(elf, data, '.bss'), undefined, 'NOBITS sections have no file bytes');
  assert.equal(readVirtual(elf, data, 0x4e1001, 4)?.toString('latin1'), ' Go ');
  assert.equal(readVirtual(elf, data, 0x4e1000 + 0x14020, 1), undefined, 'past the file part of the segment');
  assert.equal(readVirtual(elf, data, 0x100, 1), undefined, 'below every segment');
});

test('synthetic 32-bit big-endian files parse the same way (layout no local toolchain emits)', () => {
  const data = syntheticElf({
    is64: false,
    littleEndian: false,
    sections: [{ name: '.dep-v0', addr: 0x10000, data: Buffer.from('payload') }],
  });
  const elf = parseElf(data);
  assert.equal(elf.is64, false);
  assert.equal(elf.littleEndian, false);
  assert.equal(sectionData(elf, data, '.dep-v0')?.toString(), 'payload');
  assert.equal(readVirtual(elf, data, 0x10003, 100)?.toString(), 'load');
});

test('a file without section headers still exposes its segments', () => {
  const data = syntheticElf({
    is64: true,
    littleEndian: true,
    withoutSectionHeaders: true,
    sections: [{ name: '.data', addr: 0x2000, data: Buffer.from('abc') }],
  });
  const elf = parseElf(data);
  assert.deepEqual(elf.sections, []);
  assert.equal(readVirtual(elf, data, 0x2000, 3)?.toString(), 'abc');
});

test('truncated or hostile headers raise ELF_MALFORMED instead of reading out of bounds', () => {
  const real = goFixture('gopath-hello');
  assert.equal(isElf(real.subarray(0, 16)), true);
  assert.throws(
    () => parseElf(real.subarray(0, 40)),
    (error) => isCustomsError(error, 'ELF_MALFORMED'),
  );
  const hostile = Buffer.from(real);
  hostile.writeBigUInt64LE(BigInt(real.length * 4), 0x28); // e_shoff far past the end
  assert.throws(
    () => parseElf(hostile),
    (error) => isCustomsError(error, 'ELF_MALFORMED'),
  );
  assert.equal(isElf(Buffer.from('#!/bin/sh\necho hi\n')), false);
});
