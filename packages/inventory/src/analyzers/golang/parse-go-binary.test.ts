import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseGoBinary } from './parse-go-binary.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/golang/${name}`, import.meta.url)));

test('module-mode binary: stdlib, the ldflags-stamped main module, replaced and plain deps', () => {
  const path = 'usr/local/bin/customs-fixture';
  assert.deepEqual(parseGoBinary(fixture('module-vendored-stripped'), path), [
    { type: 'golang', name: 'stdlib', version: 'v1.19.8', path },
    // "(devel)" in the binary; -ldflags "-X main.version=v1.2.3" supplies the version
    { type: 'golang', name: 'example.com/customs-fixture', version: 'v1.2.3', path },
    // example.com/localmod => ./localmod (a directory) is local code: not reported
    // github.com/pkg/errors v0.8.1 => v0.9.1: the code compiled in is v0.9.1
    { type: 'golang', name: 'github.com/pkg/errors', version: 'v0.9.1', path },
    { type: 'golang', name: 'golang.org/x/text', version: 'v0.7.0', path },
  ]);
});

test('GOPATH-mode binary (how Debian builds Go): only the toolchain, as stdlib', () => {
  const path = 'usr/bin/hello';
  assert.deepEqual(parseGoBinary(fixture('gopath-hello'), path), [
    { type: 'golang', name: 'stdlib', version: 'v1.19.8', path },
  ]);
});

test('a main module left at (devel) without an ldflags stamp is not reported', () => {
  const data = Buffer.from(fixture('module-vendored-stripped'));
  // Same length, no version variable any more (the text is also in .rodata; rewrite every copy).
  for (
    let at = data.indexOf('-X main.version=v1.2.3');
    at >= 0;
    at = data.indexOf('-X main.version=v1.2.3', at)
  ) {
    data.write('-X main.commitid=abcd', at, 'latin1');
  }
  const names = parseGoBinary(data, 'x')?.map((pkg) => pkg.name);
  assert.deepEqual(names, ['stdlib', 'github.com/pkg/errors', 'golang.org/x/text']);
});

test('not a Go binary: null', () => {
  assert.equal(parseGoBinary(Buffer.from('\x7fELF'), 'x'), null);
  assert.equal(parseGoBinary(Buffer.from('plain text'), 'x'), null);
});
