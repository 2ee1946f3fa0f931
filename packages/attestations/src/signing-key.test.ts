import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { loadSigningKey } from './signing-key.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'customs-signing-key-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const pkcs8 = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  key.export({ type: 'pkcs8', format: 'pem' }).toString();

/** The error carries a code, and neither its message, hint nor cause shows the key text. */
async function refused(load: () => Promise<unknown>, code: string, secret: string): Promise<string> {
  try {
    await load();
  } catch (error) {
    assert.ok(isCustomsError(error, code as never), `${String(error)} has code ${code}`);
    const shown = JSON.stringify({ message: error.message, hint: error.hint, cause: String(error.cause) });
    for (const line of secret.split('\n').filter((text) => text.length > 20))
      assert.ok(!shown.includes(line), 'no line of the key in the error');
    return error.message;
  }
  assert.fail('expected the key to be refused');
}

describe('loadSigningKey', () => {
  it('reads an Ed25519 key from a file and an ECDSA P-256 key (SEC1 PEM) from the environment', async () => {
    const file = join(dir, 'ed25519.pem');
    await writeFile(file, pkcs8(generateKeyPairSync('ed25519').privateKey));
    assert.equal((await loadSigningKey({ file }, {})).algorithm, 'ed25519');
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const sec1 = ec.export({ type: 'sec1', format: 'pem' }).toString();
    const signer = await loadSigningKey({ env: 'CUSTOMS_SIGNING_KEY' }, { CUSTOMS_SIGNING_KEY: sec1 });
    assert.equal(signer.algorithm, 'ecdsa-p256-sha256');
    assert.match(signer.keyid, /^[0-9a-f]{64}$/);
  });

  it('a missing file or unset variable names where it looked', async () => {
    const missing = join(dir, 'absent.pem');
    const message = await refused(() => loadSigningKey({ file: missing }, {}), 'SIGNING_KEY_UNREADABLE', '');
    assert.match(message, /absent\.pem cannot be read \(ENOENT\)/);
    const unset = await refused(() => loadSigningKey({ env: 'NOPE' }, {}), 'SIGNING_KEY_UNREADABLE', '');
    assert.match(unset, /\$NOPE is not set/);
  });

  it('an RSA key, a P-384 key, an encrypted key or garbage is refused without being quoted', async () => {
    const rsa = pkcs8(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    const p384 = pkcs8(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey);
    const encrypted = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    const garbage =
      '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbCBidXQgc2VjcmV0IGFsbCB0aGUgc2FtZQ==\n-----END PRIVATE KEY-----\n';
    const env = { RSA: rsa, P384: p384, ENC: encrypted, BAD: garbage };
    assert.match(
      await refused(() => loadSigningKey({ env: 'RSA' }, env), 'SIGNING_KEY_INVALID', rsa),
      /is rsa/,
    );
    assert.match(
      await refused(() => loadSigningKey({ env: 'P384' }, env), 'SIGNING_KEY_INVALID', p384),
      /EC secp384r1/,
    );
    await refused(() => loadSigningKey({ env: 'ENC' }, env), 'SIGNING_KEY_INVALID', encrypted);
    await refused(() => loadSigningKey({ env: 'BAD' }, env), 'SIGNING_KEY_INVALID', garbage);
  });
});
