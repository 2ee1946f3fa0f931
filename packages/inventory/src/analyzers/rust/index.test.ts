import assert from 'node:assert/strict';
import test from 'node:test';
import type { EntryInfo } from '@customs/layers';
import { cargoAuditable, cargoLock } from './index.js';

test('cargo-lock asks for Cargo.lock; cargo-auditable for executables, one at a time', () => {
  const file: EntryInfo = { size: 3000, mode: 0o644, kind: 'file' };
  assert.equal(cargoLock.required('src/app/Cargo.lock', file), true);
  assert.equal(cargoLock.required('src/app/Cargo.toml', file), false);
  assert.equal(cargoLock.required('src/app/Cargo.lock', { ...file, kind: 'symlink' }), false);
  const binary: EntryInfo = { size: 3_000_000, mode: 0o755, kind: 'file' };
  assert.equal(cargoAuditable.required('usr/local/bin/ripgrep', binary), true);
  assert.equal(cargoAuditable.required('usr/local/bin/ripgrep', { ...binary, mode: 0o644 }), false);
  assert.equal(cargoAuditable.perFile, true);
});
