import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { parsePackagesLock } from './parse-packages-lock.js';

const fixture = (name: string) =>
  readFileSync(
    fileURLToPath(new URL(`../../../../../test/fixtures/dotnet/trivy/${name}`, import.meta.url)),
    'utf8',
  );
const ids = (text: string) =>
  parsePackagesLock(text, 'packages.lock.json').map((p) => `${p.name}@${p.version}`);

test("Trivy's packages_lock_subdependencies.json: direct and transitive packages", () => {
  assert.deepEqual(ids(fixture('packages_lock_subdependencies.json')), [
    'Newtonsoft.Json@12.0.3',
    'NuGet.Frameworks@5.7.0',
    'Swashbuckle.AspNetCore@5.5.1',
    'Microsoft.Extensions.ApiDescription.Server@3.0.0',
    'Microsoft.OpenApi@1.1.4',
    'Swashbuckle.AspNetCore.Swagger@5.5.1',
    'Swashbuckle.AspNetCore.SwaggerGen@5.5.1',
    'Swashbuckle.AspNetCore.SwaggerUI@5.5.1',
  ]);
});

test("Trivy's packages_lock_multi_relationship.json: one package per name and version across frameworks", () => {
  assert.deepEqual(ids(fixture('packages_lock_multi_relationship.json')), [
    'Microsoft.Extensions.DependencyInjection@9.0.0',
    'Microsoft.Extensions.DependencyInjection.Abstractions@9.0.0',
  ]);
});

test('Project entries are the solution itself; different versions per framework are both kept (synthetic)', () => {
  const lock = JSON.stringify({
    version: 2,
    dependencies: {
      'net6.0': {
        'Lib.Core': { type: 'Project' },
        'System.Text.Json': { type: 'CentralTransitive', requested: '[6.0.0, )', resolved: '6.0.0' },
      },
      'net8.0': { 'System.Text.Json': { type: 'Direct', requested: '[8.0.4, )', resolved: '8.0.4' } },
    },
  });
  assert.deepEqual(ids(lock), ['System.Text.Json@6.0.0', 'System.Text.Json@8.0.4']);
  assert.throws(
    () => parsePackagesLock('{"version":1}', 'p'),
    (error) => isCustomsError(error, 'NUGET_FILE_INVALID'),
  );
});
