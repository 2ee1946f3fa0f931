import assert from 'node:assert/strict';
import test from 'node:test';
import type { EntryInfo } from '@customs/layers';
import { dotnetDeps, nugetLock } from './index.js';

const file: EntryInfo = { size: 4000, mode: 0o644, kind: 'file' };

test('dotnet-deps asks for *.deps.json, nuget-lock for packages.lock.json', () => {
  assert.equal(dotnetDeps.required('app/MyApp.deps.json', file), true);
  assert.equal(
    dotnetDeps.required(
      'usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.0/Microsoft.NETCore.App.deps.json',
      file,
    ),
    true,
  );
  assert.equal(dotnetDeps.required('app/MyApp.runtimeconfig.json', file), false);
  assert.equal(dotnetDeps.required('app/MyApp.deps.json', { ...file, kind: 'symlink' }), false);
  assert.equal(nugetLock.required('src/MyApp/packages.lock.json', file), true);
  assert.equal(nugetLock.required('src/MyApp/packages.config', file), false);
});
