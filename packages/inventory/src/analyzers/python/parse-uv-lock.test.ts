import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseUvLock } from './parse-uv-lock.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/python/', import.meta.url));
const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const ids = (text: string, includeDev = false) =>
  parseUvLock(text, 'uv.lock', { includeDev }).packages.map((p) => `${p.name}@${p.version}`);

test('uv.lock with several versions per package: production is what the project needs, per version', () => {
  const lock = read('trivy-uv/uv_multiple_versions.lock');
  assert.deepEqual(ids(lock), [
    'numpy@1.26.4',
    'numpy@2.2.6',
    'numpy@2.4.6',
    'numpy@2.5.3',
    'pandas@2.3.3',
    'pandas@3.0.6',
    'python-dateutil@2.9.0.post0',
    'pytz@2026.4',
    'six@1.17.0',
    'tzdata@2026.4',
  ]);
  const all = ids(lock, true);
  // The project itself (forkdemo, a virtual source) is never a dependency.
  assert.equal(all.length, 21);
  assert.ok(!all.some((id) => id.startsWith('forkdemo@')));
  // typing-extensions is only needed by exceptiongroup, which only pytest needs.
  assert.ok(all.includes('typing-extensions@4.16.0') && !ids(lock).includes('typing-extensions@4.16.0'));
});

test('extras: the project extras are production, a dependency extra pulls its optional dependencies', () => {
  // Synthetic lock in uv's shape: app has an extra `json` (orjson) and needs httpx[socks].
  const lock = [
    'version = 1',
    '[[package]]',
    'name = "app"',
    'version = "0.1.0"',
    'source = { editable = "." }',
    'dependencies = [{ name = "httpx", extra = ["socks"] }]',
    '[package.optional-dependencies]',
    'json = [{ name = "orjson" }]',
    '[package.dev-dependencies]',
    'dev = [{ name = "pytest" }]',
    '[[package]]',
    'name = "httpx"',
    'version = "0.28.1"',
    'source = { registry = "https://pypi.org/simple" }',
    '[package.optional-dependencies]',
    'socks = [{ name = "socksio" }]',
    'brotli = [{ name = "brotli" }]',
    '[[package]]',
    'name = "socksio"',
    'version = "1.0.0"',
    'source = { registry = "https://pypi.org/simple" }',
    '[[package]]',
    'name = "brotli"',
    'version = "1.1.0"',
    'source = { registry = "https://pypi.org/simple" }',
    '[[package]]',
    'name = "orjson"',
    'version = "3.10.12"',
    'source = { registry = "https://pypi.org/simple" }',
    '[[package]]',
    'name = "pytest"',
    'version = "8.3.4"',
    'source = { registry = "https://pypi.org/simple" }',
  ].join('\n');
  // brotli is reached by nothing, so it is not development-only and stays.
  assert.deepEqual(ids(lock), ['brotli@1.1.0', 'httpx@0.28.1', 'orjson@3.10.12', 'socksio@1.0.0']);
});

test('without a project package every package is kept, with a warning', () => {
  // Synthetic lock holding only registry packages.
  const lock =
    '[[package]]\nname = "idna"\nversion = "3.10"\nsource = { registry = "https://pypi.org/simple" }\n';
  const result = parseUvLock(lock, 'app/uv.lock');
  assert.deepEqual(result.packages, [{ type: 'pypi', name: 'idna', version: '3.10', path: 'app/uv.lock' }]);
  assert.deepEqual(result.warnings, [
    'app/uv.lock: no project package in it, so development dependencies cannot be told apart; all packages are reported',
  ]);
});
