import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parsePipfileLock } from './parse-pipfile-lock.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/python/', import.meta.url));
const read = (path: string) => readFileSync(FIXTURES + path, 'utf8');
const ids = (text: string, includeDev = false) =>
  parsePipfileLock(text, 'Pipfile.lock', { includeDev }).packages.map((p) => `${p.name}@${p.version}`);

test("Trivy's pipenv integration golden matches", () => {
  const report: { Results: Array<{ Packages: Array<{ Name: string; Version: string }> }> } = JSON.parse(
    read('trivy-integration/pipenv/expected.trivy.json.golden'),
  );
  const golden = report.Results.flatMap((result) => result.Packages.map((p) => `${p.Name}@${p.Version}`));
  assert.deepEqual(golden, ['werkzeug@0.11.1']);
  assert.deepEqual(ids(read('trivy-integration/pipenv/input/Pipfile.lock')), golden);
});

test('default only; develop on request', () => {
  const lock = read('syft/Pipfile.lock');
  assert.deepEqual(ids(lock), [
    'aio-pika@6.8.0',
    'aiodns@2.0.0',
    'aiohttp@3.7.4.post0',
    'aiohttp-jinja2@1.4.2',
  ]);
  assert.deepEqual(
    ids(lock, true).filter((id) => !ids(lock).includes(id)),
    ['astroid@2.5.2', 'autopep8@1.5.6'],
  );
});

test('a 24-package default section with an empty develop', () => {
  const lock = read('trivy/Pipfile_many.lock');
  const found = ids(lock);
  assert.equal(found.length, 24);
  assert.deepEqual(ids(lock, true), found);
  for (const id of ['django@2.2', 'djangorestframework@3.9.3', 'python-dateutil@2.8.0', 'urllib3@1.24.2']) {
    assert.ok(found.includes(id), id);
  }
});

test('entries without a pinned version are skipped with a warning; bad JSON throws', () => {
  // Synthetic lock with a git and an editable entry, as pipenv writes them.
  const lock = JSON.stringify({
    default: {
      requests: { version: '==2.31.0' },
      mylib: { editable: true, path: '.' },
      forked: { git: 'https://example.org/forked.git', ref: 'abc' },
    },
  });
  const result = parsePipfileLock(lock, 'app/Pipfile.lock');
  assert.deepEqual(result.packages, [
    { type: 'pypi', name: 'requests', version: '2.31.0', path: 'app/Pipfile.lock' },
  ]);
  assert.deepEqual(result.warnings, [
    'app/Pipfile.lock: 2 entries have no pinned version (git, path or editable) and were skipped: mylib, forked',
  ]);
  assert.throws(
    () => parsePipfileLock('{', 'Pipfile.lock'),
    (e) => isCustomsError(e, 'PYTHON_FILE_INVALID'),
  );
});
