import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signatureHeader, verifySignature } from './signing.js';

const secret = 'whsec_generated-for-this-test';
const body = '{"id":"e1","type":"scan.failed","data":{"repository":"team/app","note":"ünïcode"}}';
const t = 1_767_000_000;

/** The HMAC as OpenSSL computes it: an implementation that shares no code with ours. */
function opensslHmac(key: string, text: string): string {
  const run = spawnSync('openssl', ['dgst', '-sha256', '-hmac', key], { input: text });
  assert.equal(run.status, 0, run.stderr.toString());
  const hex = /= ([a-f0-9]{64})\s*$/.exec(run.stdout.toString())?.[1];
  assert.ok(hex, run.stdout.toString());
  return hex;
}

test('the header is t=<seconds>,v1=<HMAC-SHA256 of "t.body">, as openssl and node:crypto compute it', () => {
  const header = signatureHeader(secret, body, t);
  const expected = opensslHmac(secret, `${t}.${body}`);
  assert.equal(header, `t=${t},v1=${expected}`);
  assert.equal(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'), expected);
});

test('verifySignature accepts a fresh signature and refuses a tampered body, a wrong secret, an old timestamp', () => {
  const header = signatureHeader(secret, body, t);
  assert.deepEqual(verifySignature({ secret, body, header, nowSeconds: t + 10 }), { ok: true, timestamp: t });
  const refused = [
    verifySignature({ secret, body: body.replace('team', 'evil'), header, nowSeconds: t }),
    verifySignature({ secret: 'whsec_other', body, header, nowSeconds: t }),
    verifySignature({ secret, body, header, nowSeconds: t + 301 }),
    verifySignature({ secret, body, header, nowSeconds: t - 301 }),
    verifySignature({ secret, body, header: undefined, nowSeconds: t }),
    verifySignature({ secret, body, header: `t=${t + 1},${header.split(',')[1]}`, nowSeconds: t }),
  ];
  assert.deepEqual(
    refused.map((result) => result.ok),
    [false, false, false, false, false, false],
  );
  assert.deepEqual(verifySignature({ secret, body, header, nowSeconds: t + 301, replayWindowSeconds: 600 }), {
    ok: true,
    timestamp: t,
  });
});
