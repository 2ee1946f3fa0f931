import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { IN_TOTO_PAYLOAD_TYPE, preAuthenticationEncoding, signEnvelope, verifyEnvelope } from './dsse.js';
import { signerFromPem } from './signing-key.js';

function pemPair(kind: 'ed25519' | 'p256'): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } =
    kind === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

describe('preAuthenticationEncoding', () => {
  it('is the DSSE v1 protocol example byte for byte', () => {
    // secure-systems-lab/dsse protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    const pae = preAuthenticationEncoding('http://example.com/HelloWorld', Buffer.from('hello world'));
    assert.equal(pae.toString('utf8'), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters', () => {
    const pae = preAuthenticationEncoding('t', Buffer.from('é', 'utf8'));
    assert.deepEqual(pae, Buffer.concat([Buffer.from('DSSEv1 1 t 2 '), Buffer.from('é', 'utf8')]));
  });
});

describe('signEnvelope', () => {
  for (const kind of ['ed25519', 'p256'] as const) {
    it(`${kind}: node's own verify accepts the signature over the PAE of the decoded payload`, () => {
      const { privatePem, publicPem } = pemPair(kind);
      const body = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
      const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, body, signerFromPem(privatePem));
      assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
      assert.deepEqual(Buffer.from(envelope.payload, 'base64'), body);
      assert.equal(envelope.signatures.length, 1);
      const pae = Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${body.length} ${body.toString()}`);
      const key = createPublicKey(publicPem);
      const signature = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
      assert.ok(verify(kind === 'ed25519' ? null : 'sha256', pae, key, signature));
      assert.ok(verifyEnvelope(envelope, publicPem));
    });
  }

  it('a changed payload or another key does not verify', () => {
    const { privatePem, publicPem } = pemPair('p256');
    const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"a":1}'), signerFromPem(privatePem));
    const tampered = { ...envelope, payload: Buffer.from('{"a":2}').toString('base64') };
    assert.equal(verifyEnvelope(tampered, publicPem), false);
    assert.equal(verifyEnvelope({ ...envelope, payloadType: 'text/plain' }, publicPem), false);
    assert.equal(verifyEnvelope(envelope, pemPair('p256').publicPem), false);
  });

  it('the key id is the SHA-256 of the public key (SPKI DER)', () => {
    const { privatePem, publicPem } = pemPair('ed25519');
    const signer = signerFromPem(privatePem);
    const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
    assert.equal(signer.keyid, createHash('sha256').update(der).digest('hex'));
    assert.equal(signer.publicKeyPem, publicPem);
  });
});
