import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeRequirements, parseRequirements } from './parse-requirements.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/python/trivy-pip/', import.meta.url));
const parse = (fixture: string) =>
  parseRequirements(readFileSync(FIXTURES + fixture, 'utf8'), 'requirements.txt');
const ids = (fixture: string) => parse(fixture).packages.map((p) => `${p.name}@${p.version}`);

test('hashes on continuation lines and spaces around == are read', () => {
  assert.deepEqual(ids('requirements_hash.txt'), ['FooProject@1.2', 'Jinja2@3.0.0']);
  assert.deepEqual(parse('requirements_hash.txt').warnings, []);
});

test('extras are not part of the name', () => {
  assert.deepEqual(ids('requirement_exstras.txt'), ['celery@4.4.7', 'pyjwt@2.1.0']);
});

test('only exact pins count; markers and comments are ignored; the rest is skipped with a warning', () => {
  const result = parse('requirements_operator.txt');
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version}`),
    ['Django@2.3.4', 'SomeProject@5.4'],
  );
  assert.deepEqual(result.warnings, [
    'requirements.txt: 6 entries are not pinned to one version and were skipped: keyring, coverage, Mopidy-Dirble, numpyNew, numpy, and 1 more',
  ]);
});

test('template syntax is not mistaken for requirements', () => {
  const result = parse('requirements_with_templating_engine.txt');
  assert.deepEqual(result.packages, []);
  assert.equal(result.warnings.length, 1);
  assert.match(
    result.warnings[0] ?? '',
    /^requirements\.txt: 5 entries could not be read as requirements and were skipped: /,
  );
});

test('options, includes, URLs and wildcards name no installed version', () => {
  // Synthetic requirements file covering pip's other line kinds.
  const text = [
    '--index-url https://pypi.example.org/simple',
    '-r base.txt',
    '-e git+https://example.org/repo.git#egg=mylib',
    'mylib @ https://example.org/mylib-1.0.tar.gz',
    'flask==2.*',
    'attrs===23.1.0',
    'urllib3==2.0.7 ; python_version >= "3.8"  # pinned',
    '# a comment',
  ].join('\n');
  const result = parseRequirements(text, 'r.txt');
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version}`),
    ['attrs@23.1.0', 'urllib3@2.0.7'],
  );
  assert.deepEqual(result.warnings, [
    'r.txt: 2 entries are not pinned to one version and were skipped: mylib, flask',
  ]);
});

test('UTF-16 files with a BOM (pip freeze in PowerShell) are decoded', () => {
  // Synthetic bytes: the text encoded as UTF-16 LE and BE, each behind its byte-order mark.
  const text = 'attrs==20.3.0\r\n';
  const littleEndian = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const bigEndian = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  assert.equal(decodeRequirements(littleEndian), text);
  assert.equal(decodeRequirements(bigEndian), text);
  assert.equal(decodeRequirements(Buffer.from('\ufeffattrs==1\n')), 'attrs==1\n');
  assert.deepEqual(
    parseRequirements(decodeRequirements(littleEndian), 'r.txt').packages[0]?.version,
    '20.3.0',
  );
});
