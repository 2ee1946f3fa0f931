import assert from 'node:assert/strict';
import test from 'node:test';
import { deflateSync } from 'node:zlib';
import { isCustomsError } from '@customs/errors';
import { syntheticElf } from '../../binary/synthetic-elf.js';
import { parseCargoAuditable } from './parse-cargo-auditable.js';

/** A synthetic ELF carrying a .dep-v0 section shaped like cargo-auditable's (format 0). */
function auditableBinary(section: Buffer): Buffer {
  return syntheticElf({
    is64: true,
    littleEndian: true,
    sections: [
      { name: '.text', addr: 0x1000, data: Buffer.alloc(64), flags: 5 },
      { name: '.dep-v0', addr: 0x3000, data: section, flags: 4 },
    ],
  });
}

test('reads the runtime crates a cargo-auditable binary records (synthetic ELF)', () => {
  const deps = {
    packages: [
      { name: 'adler', version: '1.0.2', source: 'crates.io' },
      { name: 'cc', version: '1.0.79', source: 'crates.io', kind: 'build' },
      { name: 'forked', version: '0.3.0', source: 'git', dependencies: [0] },
      { name: 'myapp', version: '0.1.0', source: 'local', root: true, dependencies: [0, 1, 2] },
    ],
  };
  const binary = auditableBinary(deflateSync(JSON.stringify(deps)));
  assert.deepEqual(parseCargoAuditable(binary, 'usr/local/bin/myapp'), [
    { type: 'cargo', name: 'adler', version: '1.0.2', path: 'usr/local/bin/myapp' },
    { type: 'cargo', name: 'forked', version: '0.3.0', path: 'usr/local/bin/myapp' },
  ]);
});

test('binaries without the section, non-ELF files and damaged ELF files yield null', () => {
  assert.equal(
    parseCargoAuditable(syntheticElf({ is64: true, littleEndian: true, sections: [] }), 'x'),
    null,
  );
  assert.equal(parseCargoAuditable(Buffer.from('#!/bin/sh\n'), 'x'), null);
  assert.equal(parseCargoAuditable(auditableBinary(Buffer.from('x')).subarray(0, 30), 'x'), null);
});

test('a section that is not zlib JSON raises CARGO_FILE_INVALID', () => {
  assert.throws(
    () => parseCargoAuditable(auditableBinary(Buffer.from('not zlib')), 'bin/x'),
    (error) => isCustomsError(error, 'CARGO_FILE_INVALID') && error.context.path === 'bin/x',
  );
  assert.throws(
    () => parseCargoAuditable(auditableBinary(deflateSync('{"crates":[]}')), 'bin/x'),
    (error) => isCustomsError(error, 'CARGO_FILE_INVALID'),
  );
});
