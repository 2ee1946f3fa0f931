import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { syntheticElf } from '../../binary/synthetic-elf.js';
import { readGoBuildInfo } from './build-info.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/golang/${name}`, import.meta.url)));

const MAGIC = '\xff Go buildinf:';
/** cmd/go's 16-byte sentinels around modinfo; readers only check lengths and the closing newline. */
const SENTINEL_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const SENTINEL_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
const framed = (text: string) => Buffer.concat([SENTINEL_START, Buffer.from(text), SENTINEL_END]);

test('reads the inline (Go ≥ 1.18) build info of a stripped module-mode binary', () => {
  const info = readGoBuildInfo(fixture('module-vendored-stripped'));
  assert.equal(info?.goVersion, 'go1.19.8');
  assert.equal(
    info?.modInfo,
    [
      'path\texample.com/customs-fixture',
      'mod\texample.com/customs-fixture\t(devel)\t',
      'dep\texample.com/localmod\tv0.0.0',
      '=>\t./localmod\t(devel)\t',
      '', // go1.19 ends each replacement with an empty sum and a stray newline
      'dep\tgithub.com/pkg/errors\tv0.8.1',
      '=>\tgithub.com/pkg/errors\tv0.9.1\t',
      '',
      'dep\tgolang.org/x/text\tv0.7.0\t',
      'build\t-compiler=gc',
      'build\t-ldflags="-s -w -X main.version=v1.2.3"',
      'build\tCGO_ENABLED=0',
      'build\tGOARCH=amd64',
      'build\tGOOS=linux',
      'build\tGOAMD64=v1',
      '',
    ].join('\n'),
  );
});

test('reads a GOPATH-mode binary: a path and build settings, no modules', () => {
  const info = readGoBuildInfo(fixture('gopath-hello'));
  assert.equal(info?.goVersion, 'go1.19.8');
  assert.match(info?.modInfo ?? '', /^path\texample\.com\/hello\nbuild\t-compiler=gc\n/);
  assert.doesNotMatch(info?.modInfo ?? '', /^(mod|dep)\t/m);
});

test('without section headers the first writable segment is searched, as Go does', () => {
  const data = Buffer.from(fixture('gopath-hello'));
  data.writeBigUInt64LE(0n, 0x28); // e_shoff: the section table is gone
  data.writeUInt16LE(0, 0x3c); // e_shnum
  assert.equal(readGoBuildInfo(data)?.goVersion, 'go1.19.8');
});

/** Synthetic pre-1.18 layout: the header holds pointers to Go string headers in a data section. */
function pointerFormatElf(is64: boolean, littleEndian: boolean, modInfo: Buffer): Buffer {
  const ptr = is64 ? 8 : 4;
  const dataAddr = 0x20000;
  const put = (target: Buffer, at: number, value: number) => {
    if (is64) {
      if (littleEndian) target.writeBigUInt64LE(BigInt(value), at);
      else target.writeBigUInt64BE(BigInt(value), at);
    } else if (littleEndian) target.writeUInt32LE(value, at);
    else target.writeUInt32BE(value, at);
  };
  const version = Buffer.from('go1.16.15');
  const data = Buffer.alloc(0x100 + modInfo.length);
  put(data, 0, dataAddr + 0x40); // string header of runtime.buildVersion
  put(data, ptr, version.length);
  put(data, 0x20, dataAddr + 0x100); // string header of runtime.modinfo
  put(data, 0x20 + ptr, modInfo.length);
  version.copy(data, 0x40);
  modInfo.copy(data, 0x100);
  const header = Buffer.alloc(32);
  header.write(MAGIC, 0, 'latin1');
  header[14] = ptr;
  header[15] = littleEndian ? 0 : 1;
  put(header, 16, dataAddr);
  put(header, 16 + ptr, dataAddr + 0x20);
  return syntheticElf({
    is64,
    littleEndian,
    sections: [
      { name: '.go.buildinfo', addr: 0x10000, data: header },
      { name: '.data', addr: dataAddr, data },
    ],
  });
}

test('reads the pointer format of Go ≤ 1.17 in 64-bit little- and 32-bit big-endian files (synthetic)', () => {
  const mod = 'path\texample.com/old\nmod\texample.com/old\tv1.0.0\t\ndep\tgolang.org/x/net\tv0.0.1\th1:x=\n';
  for (const [is64, littleEndian] of [
    [true, true],
    [false, false],
  ] as const) {
    const info = readGoBuildInfo(pointerFormatElf(is64, littleEndian, framed(mod)));
    assert.deepEqual(info, { goVersion: 'go1.16.15', modInfo: mod }, `is64=${is64} le=${littleEndian}`);
  }
});

test('module info without its sentinel frame is ignored, as Go ignores it', () => {
  const info = readGoBuildInfo(pointerFormatElf(true, true, Buffer.from('path\tx\n')));
  assert.deepEqual(info, { goVersion: 'go1.16.15', modInfo: '' });
});

function inlineBlob(goVersion: string, modInfo: Buffer): Buffer {
  const header = Buffer.alloc(32);
  header.write(MAGIC, 0, 'latin1');
  header[14] = 8;
  header[15] = 2;
  const version = Buffer.from(goVersion);
  return Buffer.concat([
    header,
    Buffer.from([version.length]),
    version,
    Buffer.from([0x80 | (modInfo.length & 0x7f), modInfo.length >> 7]),
    modInfo,
  ]);
}

test('PE and Mach-O files are searched whole for an aligned inline blob (synthetic files)', () => {
  const mod = 'path\texample.com/win\n';
  const pe = Buffer.alloc(4096);
  pe.write('MZ', 0, 'latin1');
  pe.write(MAGIC, 1000, 'latin1'); // not 16-byte aligned: a string in .rdata, not the blob
  inlineBlob('go1.21.5', framed(mod)).copy(pe, 2048);
  assert.deepEqual(readGoBuildInfo(pe), { goVersion: 'go1.21.5', modInfo: mod });

  const macho = Buffer.alloc(4096);
  macho.writeUInt32BE(0xcffaedfe, 0);
  inlineBlob('go1.22.0', framed(mod)).copy(macho, 512);
  assert.equal(readGoBuildInfo(macho)?.goVersion, 'go1.22.0');
});

test('a pre-1.18 PE binary is reported as unreadable rather than silently skipped (synthetic)', () => {
  const pe = Buffer.alloc(4096);
  pe.write('MZ', 0, 'latin1');
  pe.write(MAGIC, 1024, 'latin1');
  pe[1024 + 14] = 8;
  assert.throws(
    () => readGoBuildInfo(pe),
    (error) => isCustomsError(error, 'GO_BUILDINFO_UNREADABLE'),
  );
});

test('files that are not Go binaries yield null', () => {
  const elfWithoutGo = syntheticElf({
    is64: true,
    littleEndian: true,
    sections: [{ name: '.data', addr: 0x1000, data: Buffer.alloc(64) }],
  });
  assert.equal(readGoBuildInfo(elfWithoutGo), null);
  assert.equal(readGoBuildInfo(Buffer.from('#!/bin/sh\nexec true\n')), null);
  const garbage = Buffer.alloc(4096);
  garbage.write('MZ', 0, 'latin1');
  const blob = inlineBlob('not a version', framed('x'));
  blob.copy(garbage, 1024);
  assert.equal(readGoBuildInfo(garbage), null, 'a blob whose version is not a Go version is no build info');
});
