import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runInProcess } from '../test-support/run-in-process.js';

/** What `--attest` refuses before anything is opened or scanned (no registry, no database involved). */
describe('customs scan --attest: refused up front', () => {
  let scratch = '';
  let rsaKey = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'customs-cli-attest-'));
    rsaKey = join(scratch, 'rsa.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(rsaKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  const scan = (...args: string[]) => runInProcess(['scan', ...args, '--db-dir', join(scratch, 'db')]);

  it('--signing-key or --sbom-format without --attest is a usage error', async () => {
    const run = await scan('127.0.0.1:5000/app:1', '--signing-key', rsaKey);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--signing-key and --sbom-format go with --attest/);
  });

  it('--attest without a key, or on a local directory, says what is missing', async () => {
    const noKey = await scan('127.0.0.1:5000/app:1', '--attest');
    assert.equal(noKey.code, 2, noKey.stderr);
    assert.match(noKey.stderr, /give --signing-key FILE .* or set CUSTOMS_SIGNING_KEY/);
    const local = await scan(scratch, '--attest', '--signing-key', rsaKey);
    assert.equal(local.code, 2, local.stderr);
    assert.match(local.stderr, /--attest pushes to the image's registry: .* is not a registry image/);
  });

  it('an RSA key is refused, before the image is read', async () => {
    const run = await scan('127.0.0.1:1/app:1', '--attest', '--signing-key', rsaKey);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /rsa\.pem is rsa; ECDSA P-256 and Ed25519 are supported/);
    assert.doesNotMatch(run.stderr, /127\.0\.0\.1:1/, 'nothing was asked of the registry');
  });
});
