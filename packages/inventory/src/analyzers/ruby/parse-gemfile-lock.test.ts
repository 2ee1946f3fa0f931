import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseGemfileLock } from './parse-gemfile-lock.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/ruby/${name}`, import.meta.url)), 'utf8');
const ids = (text: string) =>
  parseGemfileLock(text, 'Gemfile.lock').packages.map((p) => `${p.name}@${p.version}`);

test("Trivy's Gemfile_normal.lock: every spec, dependency constraints not mistaken for gems", () => {
  assert.deepEqual(ids(fixture('trivy/Gemfile_normal.lock')), [
    'coderay@1.1.2',
    'concurrent-ruby@1.1.5',
    'dotenv@2.7.2',
    'faker@1.9.3',
    'i18n@1.6.0',
    'method_source@0.9.2',
    'pry@0.12.2',
  ]);
});

test("Syft's Gemfile.lock: PATH, GIT and GEM specs; an unknown section ignored", () => {
  const result = parseGemfileLock(fixture('syft/Gemfile.lock'), 'app/Gemfile.lock');
  const found = result.packages.map((p) => `${p.name}@${p.version}`);
  assert.equal(found.length, 52); // 50 under GEM, 1 under GIT, 1 under PATH (counted with awk)
  assert.deepEqual(found.slice(0, 4), [
    'google-cloud-errors@1.3.0',
    'turbolinks@3.0.0',
    'actionmailer@4.1.1',
    'actionpack@4.1.1',
  ]);
  assert.ok(found.includes('arel@5.0.1.20140414130214'));
  assert.ok(found.includes('unicorn@4.8.3'));
  assert.ok(!found.some((id) => id.startsWith('bad-')), 'BAD-SECTION is no source section');
  assert.ok(result.packages.every((p) => p.type === 'gem' && p.path === 'app/Gemfile.lock'));
  assert.deepEqual(result.warnings, []);
});

test('platform suffixes are dropped, pre-releases kept (synthetic lockfile)', () => {
  const lock = [
    'GEM',
    '  remote: https://rubygems.org/',
    '  specs:',
    '    nokogiri (1.13.6-x86_64-linux)',
    '      racc (~> 1.4)',
    '    nokogiri (1.13.6-aarch64-linux-gnu)',
    '    ffi (1.15.5-x64-mingw-ucrt)',
    '    puma (5.6.4-java)',
    '    grpc (1.50.0-universal-darwin)',
    '    rails (7.1.0.rc1)',
    '    odd (1.0.0-rc1)',
    '    broken',
    '',
    'PLATFORMS',
    '  x86_64-linux',
  ].join('\n');
  const result = parseGemfileLock(lock, 'Gemfile.lock');
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version}`),
    ['nokogiri@1.13.6', 'ffi@1.15.5', 'puma@5.6.4', 'grpc@1.50.0', 'rails@7.1.0.rc1', 'odd@1.0.0-rc1'],
  );
  assert.deepEqual(result.warnings, ['Gemfile.lock:12: not a "name (version)" spec line, skipped']);
});
