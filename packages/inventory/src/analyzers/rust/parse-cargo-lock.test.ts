import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parseCargoLock } from './parse-cargo-lock.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/rust/${name}`, import.meta.url)), 'utf8');
const ids = (text: string) => parseCargoLock(text, 'Cargo.lock').map((p) => `${p.name}@${p.version}`);

interface GoldenPackage {
  Name: string;
  Version: string;
  Relationship: string;
}

test('Trivy cargo golden (lockfile v4): every package Trivy reports, except two principled differences', () => {
  const golden = JSON.parse(fixture('trivy-cargo/expected.trivy.json.golden')) as {
    Results: Array<{ Packages: GoldenPackage[] }>;
  };
  const trivy = golden.Results.flatMap((result) => result.Packages).map((p) => `${p.Name}@${p.Version}`);
  const ours = ids(fixture('trivy-cargo/Cargo.lock'));
  // 1. `app` is the workspace's own crate (no `source`): Trivy reports it as the graph's root, we do
  //    not report local crates at all.
  assert.deepEqual(
    trivy.filter((id) => !ours.includes(id)),
    ['app@0.1.0'],
  );
  // 2. winapi and its two target crates are reached only through [dev-dependencies] in Cargo.toml;
  //    Trivy reads Cargo.toml to drop them. We read Cargo.lock alone (Cargo.toml may sit in another
  //    layer), so they are reported.
  assert.deepEqual(
    ours.filter((id) => !trivy.includes(id)),
    ['winapi@0.3.9', 'winapi-i686-pc-windows-gnu@0.4.0', 'winapi-x86_64-pc-windows-gnu@0.4.0'],
  );
  assert.deepEqual(ours, [
    'aho-corasick@0.7.20',
    'libc@0.2.171',
    'memchr@1.0.2',
    'memchr@2.7.4',
    'regex@1.7.3',
    'regex-syntax@0.6.29',
    'winapi@0.3.9',
    'winapi-i686-pc-windows-gnu@0.4.0',
    'winapi-x86_64-pc-windows-gnu@0.4.0',
  ]);
});

test("Syft's Cargo.lock (v2 layout: inline checksums, no version key): all 14 registry crates, two versions of windows-sys", () => {
  const found = ids(fixture('syft/Cargo.lock'));
  assert.equal(found.length, 14);
  assert.deepEqual(
    found.filter((id) => id.startsWith('windows-sys@')),
    ['windows-sys@0.52.0', 'windows-sys@0.59.0'],
  );
  assert.equal(found[0], 'ansi_term@0.12.1');
});

test("Trivy's trivy-ci-test Cargo.lock (v1, [metadata] checksums): 73 crates, the local root left out", () => {
  const packages = parseCargoLock(fixture('trivy/trivy-ci-test.Cargo.lock'), 'src/Cargo.lock');
  assert.equal(packages.length, 73);
  assert.ok(!packages.some((p) => p.name === 'normal'), 'normal 0.1.0 has no source');
  assert.deepEqual(packages[0], { type: 'cargo', name: 'ammonia', version: '1.9.0', path: 'src/Cargo.lock' });
});

test('git sources count; invalid TOML raises CARGO_FILE_INVALID (synthetic)', () => {
  const lock =
    '[root]\nname = "old"\nversion = "0.1.0"\n\n[[package]]\nname = "forked"\nversion = "1.0.0"\nsource = "git+https://github.com/x/forked?rev=abc#abc"\n';
  assert.deepEqual(ids(lock), ['forked@1.0.0']);
  assert.throws(
    () => parseCargoLock('[[package]\nname=', 'Cargo.lock'),
    (error) => isCustomsError(error, 'CARGO_FILE_INVALID'),
  );
});
