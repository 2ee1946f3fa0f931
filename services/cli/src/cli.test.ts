import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInProcess } from './test-support/run-in-process.js';

const BIN = fileURLToPath(new URL('../bin/customs.js', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

test('customs --version and -V print the version of the package and exit 0', async () => {
  assert.match(version, /^\d+\.\d+\.\d+/);
  for (const flag of ['--version', '-V']) {
    assert.deepEqual(await runInProcess([flag]), { code: 0, stdout: `customs ${version}\n`, stderr: '' });
  }
});

test('the real bin prints the version and exits 0', () => {
  const child = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  assert.equal(child.stderr, '');
  assert.equal(child.status, 0);
  assert.equal(child.stdout, `customs ${version}\n`);
});

test('the usage names --version', async () => {
  assert.match((await runInProcess(['--help'])).stdout, /customs --version/);
});
