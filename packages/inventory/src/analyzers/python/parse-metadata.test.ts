import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parsePythonMetadata } from './parse-metadata.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/python/', import.meta.url));
const parse = (fixture: string, at = 'usr/lib/python3/site-packages/x/METADATA') =>
  parsePythonMetadata(readFileSync(FIXTURES + fixture, 'utf8'), at);

test('a wheel METADATA gives name, version and its one-line License', () => {
  assert.deepEqual(parse('trivy/asyncssh-2.14.2.METADATA', 'app/asyncssh-2.14.2.dist-info/METADATA'), {
    type: 'pypi',
    name: 'asyncssh',
    version: '2.14.2',
    path: 'app/asyncssh-2.14.2.dist-info/METADATA',
    // Its only License classifier is the unspecific "License :: OSI Approved".
    licenses: ['Eclipse Public License v2.0'],
  });
});

test('License-Expression wins over classifiers', () => {
  assert.deepEqual(parse('trivy/iniconfig-2.0.0.METADATA')?.licenses, ['MIT']);
});

test('no license header and no License classifier: no licenses', () => {
  const found = parse('trivy/networkx-3.0.METADATA');
  assert.equal(found?.name, 'networkx');
  assert.equal(found?.version, '3.0');
  assert.equal(found?.licenses, undefined);
});

test('the distribution name is kept as the metadata writes it', () => {
  const found = parse('syft/with-license-file-declared.dist-info.METADATA');
  assert.equal(found?.name, 'Pygments');
  assert.equal(found?.version, '2.6.1');
  assert.deepEqual(found?.licenses, ['BSD License']);
});

test('old setuptools PKG-INFO: License UNKNOWN falls back to classifiers found after the folded Description', () => {
  // The Description header spans blank lines here; the Classifier headers come after it.
  const found = parse(
    'trivy/setuptools-51.3.3-py3.8.egg-info.PKG-INFO',
    'x/setuptools-51.3.3-py3.8.egg-info/PKG-INFO',
  );
  assert.equal(found?.name, 'setuptools');
  assert.equal(found?.version, '51.3.3');
  assert.deepEqual(found?.licenses, ['MIT License']);
});

test('headers end at the blank line before the body; the body is not read as headers', () => {
  // Synthetic metadata 2.1 file whose README body holds header-like lines.
  const text = [
    'Metadata-Version: 2.1',
    'Name: demo',
    'Version: 1.0',
    '',
    'Name: not-this',
    'License: nor this',
  ].join('\n');
  assert.deepEqual(parsePythonMetadata(text, 'm'), { type: 'pypi', name: 'demo', version: '1.0', path: 'm' });
});

test('a License field holding the whole license text is not a license name', () => {
  // Synthetic: some packages paste the license text into License, folded over many lines.
  const text = [
    'Name: demo',
    'Version: 2',
    'License: Copyright (c) 2020 Someone',
    '        Permission is hereby granted, free of charge, ...',
    'Classifier: License :: OSI Approved :: MIT License',
  ].join('\n');
  assert.deepEqual(parsePythonMetadata(text, 'm')?.licenses, ['MIT License']);
});

test('without Name or Version there is no package', () => {
  assert.equal(parsePythonMetadata('Metadata-Version: 2.1\nName: demo\n', 'm'), null);
  assert.equal(parsePythonMetadata('', 'm'), null);
});
