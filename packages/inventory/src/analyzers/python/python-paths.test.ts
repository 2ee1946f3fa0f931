import assert from 'node:assert/strict';
import test from 'node:test';
import type { EntryInfo } from '@customs/layers';
import { pythonInstalled, pythonLockfile } from './index.js';

const FILE: EntryInfo = { size: 100, mode: 0o644, kind: 'file' };

test('python-installed asks for core metadata files only', () => {
  const wanted = [
    'usr/local/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA',
    'usr/lib/python3/dist-packages/six-1.16.0.egg-info',
    'usr/lib/python3/dist-packages/PyGObject-3.42.2.egg-info/PKG-INFO',
    'opt/venv/lib/python3.11/site-packages/setuptools-40.0.0-py3.7.egg/EGG-INFO/PKG-INFO',
    'srv/app/mylib.egg-info/PKG-INFO',
  ];
  const unwanted = [
    'usr/local/lib/python3.12/site-packages/requests-2.32.3.dist-info/RECORD',
    'usr/local/lib/python3.12/site-packages/requests-2.32.3.dist-info/LICENSE',
    'usr/local/lib/python3.12/site-packages/requests/METADATA',
    'usr/lib/python3/dist-packages/six-1.16.0.egg-info/SOURCES.txt',
    'usr/lib/python3/dist-packages/PKG-INFO',
    'srv/app/PKG-INFO',
    'usr/lib/python3/dist-packages/six.py',
  ];
  for (const path of wanted) assert.equal(pythonInstalled.required(path, FILE), true, path);
  for (const path of unwanted) assert.equal(pythonInstalled.required(path, FILE), false, path);
  const link = { ...FILE, kind: 'symlink' as const };
  assert.equal(pythonInstalled.required('x/a-1.dist-info/METADATA', link), false);
});

test('python-lockfile asks for project lockfiles and requirements outside installed trees', () => {
  const wanted = [
    'srv/app/Pipfile.lock',
    'srv/app/poetry.lock',
    'uv.lock',
    'srv/app/requirements.txt',
    'srv/app/requirements-prod.txt',
    'srv/app/requirements_dev.txt',
  ];
  const unwanted = [
    'srv/app/Pipfile',
    'srv/app/pyproject.toml',
    'srv/app/requirements.in',
    'srv/app/dev-requirements.txt',
    'usr/local/lib/python3.12/site-packages/somepkg/requirements.txt',
    'usr/lib/python3/dist-packages/somepkg/poetry.lock',
    'srv/app/node_modules/x/requirements.txt',
  ];
  for (const path of wanted) assert.equal(pythonLockfile.required(path, FILE), true, path);
  for (const path of unwanted) assert.equal(pythonLockfile.required(path, FILE), false, path);
});
