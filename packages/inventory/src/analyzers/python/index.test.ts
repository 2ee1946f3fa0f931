import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { FileSet } from '../../file-set.js';
import { pythonInstalled, pythonLockfile } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/python/', import.meta.url));
const file = (path: string, fixture: string) => ({
  path,
  data: readFileSync(FIXTURES + fixture),
  mode: 0o644,
});
const context = { isLanguagePath: () => true };

test('python-installed reads each metadata file; one without a name is a warning', async () => {
  const site = 'usr/local/lib/python3.11/site-packages';
  const files = new FileSet([
    file(`${site}/iniconfig-2.0.0.dist-info/METADATA`, 'trivy/iniconfig-2.0.0.METADATA'),
    file(
      `${site}/setuptools-51.3.3-py3.8.egg-info/PKG-INFO`,
      'trivy/setuptools-51.3.3-py3.8.egg-info.PKG-INFO',
    ),
    { path: `${site}/broken.egg-info`, data: Buffer.from('Metadata-Version: 1.0\n'), mode: 0o644 },
  ]);
  const result = await pythonInstalled.analyze(files, context);
  assert.deepEqual(
    result.packages.map((p) => `${p.name}@${p.version} ${p.licenses?.join(',')} ${p.path}`),
    [
      `iniconfig@2.0.0 MIT ${site}/iniconfig-2.0.0.dist-info/METADATA`,
      `setuptools@51.3.3 MIT License ${site}/setuptools-51.3.3-py3.8.egg-info/PKG-INFO`,
    ],
  );
  assert.deepEqual(result.warnings, [
    `${site}/broken.egg-info: no Name or Version header, so no package is read from it`,
  ]);
});

test('python-lockfile dispatches on the file name and turns bad files into warnings', async () => {
  const files = new FileSet([
    file('srv/a/Pipfile.lock', 'trivy-integration/pipenv/input/Pipfile.lock'),
    file('srv/b/poetry.lock', 'syft/simple-deps.poetry.lock'),
    file('srv/c/uv.lock', 'trivy-uv/uv_multiple_versions.lock'),
    file('srv/d/requirements-prod.txt', 'trivy-pip/requirement_exstras.txt'),
    { path: 'srv/e/poetry.lock', data: Buffer.from('[[package]\n'), mode: 0o644 },
  ]);
  const result = await pythonLockfile.analyze(files, context);
  const byFile = new Map<string, number>();
  for (const pkg of result.packages) byFile.set(pkg.path, (byFile.get(pkg.path) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(byFile), {
    'srv/a/Pipfile.lock': 1,
    'srv/b/poetry.lock': 5,
    'srv/c/uv.lock': 10,
    'srv/d/requirements-prod.txt': 2,
  });
  assert.equal(result.warnings?.length, 1);
  assert.match(
    result.warnings?.[0] ?? '',
    /^file srv\/e\/poetry\.lock: cannot read srv\/e\/poetry\.lock: not valid TOML/,
  );
});
