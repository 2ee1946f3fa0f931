import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parseDepsJson } from './parse-deps-json.js';

const fixture = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../../../../test/fixtures/dotnet/trivy/${name}`, import.meta.url)),
    'utf8',
  );
const ids = (name: string) =>
  parseDepsJson(fixture(name), 'app/x.deps.json').map((p) => `${p.name}@${p.version}`);

test("Trivy's ExampleApp1.deps.json: the NuGet package, not the project", () => {
  assert.deepEqual(parseDepsJson(fixture('ExampleApp1.deps.json'), 'app/ExampleApp1.deps.json'), [
    { type: 'nuget', name: 'Newtonsoft.Json', version: '13.0.1', path: 'app/ExampleApp1.deps.json' },
  ]);
});

test("Trivy's without-runtime.deps.json: packages without runtime assets in the runtime target are left out", () => {
  // Microsoft.NETCore.App and Microsoft.NETCore.Platforms are listed with no runtime, runtimeTargets
  // or native assets; System.Collections.Immutable is not listed in the target at all and is kept.
  assert.deepEqual(ids('without-runtime.deps.json'), [
    'JsonDiffPatch@2.0.61',
    'Libuv@1.9.1',
    'System.Collections.Immutable@1.3.0',
  ]);
});

test("Trivy's runtimepack-edge.deps.json: a self-contained app's bundled runtime, named as advisories name it", () => {
  assert.deepEqual(ids('runtimepack-edge.deps.json'), [
    'SQLitePCLRaw.lib.e_sqlite3@2.1.6',
    'Acme.Custom.Pack@4.5.6',
    'Microsoft.NETCore.App.Runtime.linux-x64@8.0.0',
  ]);
});

test('without a matching runtime target every package library is kept (synthetic)', () => {
  const text = JSON.stringify({
    runtimeTarget: { name: 'missing' },
    libraries: {
      'A/1.0.0': { type: 'package' },
      'B/2.0.0': { type: 'Package' },
      broken: { type: 'package' },
    },
  });
  assert.deepEqual(
    parseDepsJson(text, 'x').map((p) => `${p.name}@${p.version}`),
    ['A@1.0.0', 'B@2.0.0'],
  );
});

test('a file without libraries raises NUGET_FILE_INVALID', () => {
  for (const text of ['{', '[]', '{"targets":{}}']) {
    assert.throws(
      () => parseDepsJson(text, 'x.deps.json'),
      (error) => isCustomsError(error, 'NUGET_FILE_INVALID'),
    );
  }
});
