import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { digestOf } from '../digest.js';
import { createVerifyingStream, verifyBytes } from './verify.js';

async function consume(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('createVerifyingStream', () => {
  const data = Buffer.from('the layer bytes, in three chunks');
  const digest = digestOf(data);
  const chunks = () => Readable.from([data.subarray(0, 10), data.subarray(10, 20), data.subarray(20)]);

  it('passes matching bytes through and reports running totals', async () => {
    const seen: number[] = [];
    const verified = createVerifyingStream({
      digest,
      size: data.length,
      what: `layer ${digest}`,
      onBytes: (n) => seen.push(n),
    });
    const out: Buffer[] = [];
    await pipeline(chunks(), verified, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    });
    assert.deepEqual(Buffer.concat(out), data);
    assert.deepEqual(seen, [10, 20, data.length]);
  });

  it('errors at the end on a digest mismatch, naming the layer and both digests; the consumer never sees end', async () => {
    const wrong = digestOf(Buffer.from('something else'));
    const verified = createVerifyingStream({
      digest: wrong,
      size: data.length,
      what: `layer ${wrong}`,
      context: { image: 'img', layer: wrong },
    });
    chunks().pipe(verified);
    let ended = false;
    verified.on('end', () => (ended = true));
    await assert.rejects(consume(verified), (error: unknown) => {
      return (
        isCustomsError(error, 'BLOB_DIGEST_MISMATCH') &&
        error.message === `layer ${wrong} has digest ${digest}, expected ${wrong}` &&
        error.context.layer === wrong &&
        error.context.image === 'img'
      );
    });
    assert.equal(ended, false);
  });

  it('errors when the bytes are fewer or more than the descriptor says', async () => {
    const short = createVerifyingStream({ digest, size: data.length + 1, what: 'layer x' });
    chunks().pipe(short);
    await assert.rejects(
      consume(short),
      (e: unknown) =>
        isCustomsError(e, 'BLOB_SIZE_MISMATCH') &&
        e.message === `layer x is ${data.length} bytes, its descriptor says ${data.length + 1}`,
    );
    const long = createVerifyingStream({ digest, size: 15, what: 'layer x' });
    chunks().pipe(long);
    await assert.rejects(
      consume(long),
      (e: unknown) => isCustomsError(e, 'BLOB_SIZE_MISMATCH') && /more than 15/.test(e.message),
    );
  });

  it('refuses digests it cannot compute', () => {
    assert.throws(
      () => createVerifyingStream({ digest: 'md5:abc', size: 1, what: 'x' }),
      (e: unknown) => isCustomsError(e, 'DIGEST_INVALID'),
    );
  });
});

describe('verifyBytes', () => {
  it('checks size then digest', () => {
    const bytes = Buffer.from('{}');
    verifyBytes(bytes, { digest: digestOf(bytes), size: 2 }, 'config', 'BLOB_DIGEST_MISMATCH');
    assert.throws(
      () => verifyBytes(bytes, { digest: digestOf(bytes), size: 3 }, 'config', 'BLOB_DIGEST_MISMATCH'),
      (e: unknown) => isCustomsError(e, 'BLOB_SIZE_MISMATCH'),
    );
    assert.throws(
      () =>
        verifyBytes(bytes, { digest: digestOf(Buffer.from('[]')) }, 'manifest', 'MANIFEST_DIGEST_MISMATCH'),
      (e: unknown) => isCustomsError(e, 'MANIFEST_DIGEST_MISMATCH'),
    );
    const sha512 = digestOf(bytes, 'sha512');
    verifyBytes(bytes, { digest: sha512 }, 'manifest', 'MANIFEST_DIGEST_MISMATCH');
  });
});
