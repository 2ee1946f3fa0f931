import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parsePoetryLock } from './parse-poetry-lock.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/python/', import.meta.url));
const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const ids = (text: string, includeDev = false) =>
  parsePoetryLock(text, 'poetry.lock', { includeDev }).packages.map((p) => `${p.name}@${p.version}`);

test('poetry lock 2.1: packages outside the main group are development-only', () => {
  const lock = read('trivy/poetry_v2_flask.lock');
  assert.deepEqual(ids(lock), [
    'click@8.1.8',
    'colorama@0.4.6', // groups = ["main", "dev"]
    'flask@1.0.3',
    'itsdangerous@2.2.0',
    'jinja2@3.1.5',
    'markupsafe@3.0.2',
    'pluggy@0.13.1',
    'werkzeug@3.1.3',
  ]);
  assert.deepEqual(
    ids(lock, true).filter((id) => !ids(lock).includes(id)),
    [
      'atomicwrites@1.4.1',
      'attrs@25.1.0',
      'more-itertools@10.6.0',
      'packaging@24.2',
      'py@1.11.0',
      'pytest@5.4.3',
      'wcwidth@0.2.13',
    ],
  );
});

test('poetry lock 2.0 records no groups: every package is kept', () => {
  assert.deepEqual(ids(read('syft/simple-deps.poetry.lock')), [
    'certifi@2024.2.2',
    'charset-normalizer@3.3.2',
    'idna@3.7',
    'requests@2.32.2',
    'urllib3@2.2.1',
  ]);
});

test('lock 1.x `category = "dev"` is development-only; path dependencies are the project', () => {
  // Synthetic lock in Poetry 1.x's shape.
  const lock = [
    '[[package]]',
    'name = "flask"',
    'version = "2.0.3"',
    'category = "main"',
    '',
    '[[package]]',
    'name = "pytest"',
    'version = "7.1.0"',
    'category = "dev"',
    '',
    '[[package]]',
    'name = "my-lib"',
    'version = "0.1.0"',
    'category = "main"',
    '[package.source]',
    'type = "directory"',
    'url = "../my-lib"',
    '',
    '[metadata]',
    'lock-version = "1.1"',
  ].join('\n');
  assert.deepEqual(ids(lock), ['flask@2.0.3']);
  assert.deepEqual(ids(lock, true), ['flask@2.0.3', 'pytest@7.1.0']);
});

test('a file that is not TOML throws PYTHON_FILE_INVALID', () => {
  assert.throws(
    () => parsePoetryLock('[[package]\nname = ', 'poetry.lock'),
    (e) => isCustomsError(e, 'PYTHON_FILE_INVALID'),
  );
});
