import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { scanLayer } from './scan-layer.js';
import { blobStream, ustarFileHeader } from './testing/synthetic-tar.js';
import { ZstdWindowGuard } from './zstd-window-guard.js';

// Streams made here by Debian's zstd tool from SYNTHETIC data, and frame headers written byte by byte.

function zstd(input: Buffer, ...flags: string[]): Buffer {
  return execFileSync('zstd', ['-q', '-c', ...flags], { input, maxBuffer: 64 * 1024 * 1024 });
}

/** An empty frame (one empty last raw block) whose header asks for a 2^windowLog-byte window. */
function frameWithWindowLog(windowLog: number): Buffer {
  return Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (windowLog - 10) << 3, 0x01, 0x00, 0x00]);
}

/** An empty single-segment frame declaring an 8-byte content size of `size`. */
function singleSegmentFrame(size: bigint): Buffer {
  const frame = Buffer.alloc(4 + 1 + 8 + 3);
  frame.writeUInt32LE(0xfd2fb528, 0);
  frame[4] = 0xe0; // content size in 8 bytes, single segment
  frame.writeBigUInt64LE(size, 5);
  frame.writeUIntLE(0x01, 13, 3);
  return frame;
}

function skippableFrame(payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a5e, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function inspectInChunks(stream: Buffer, chunkSize: number): void {
  const guard = new ZstdWindowGuard();
  for (let offset = 0; offset < stream.length; offset += chunkSize) {
    guard.inspect(stream.subarray(offset, offset + chunkSize));
  }
}

const isUnsupported = (error: unknown): boolean => isCustomsError(error, 'LAYER_UNSUPPORTED');

describe('ZstdWindowGuard', () => {
  const text = Buffer.from('Package: base-files\nVersion: 12.4+deb12u5\n'.repeat(4000));
  const legitimate = Buffer.concat([
    zstd(text),
    zstd(randomBytes(300_000), '--no-check'),
    skippableFrame(Buffer.from('zstd:chunked manifest')),
    zstd(Buffer.alloc(2_000_000), '-19'),
    zstd(text, '--long=27'),
    frameWithWindowLog(27),
  ]);

  for (const chunkSize of [1, 7, 4096, legitimate.length]) {
    it(`follows real frames to the end, in chunks of ${chunkSize} bytes, and catches a large window after them`, () => {
      inspectInChunks(legitimate, chunkSize);
      const withBadFrame = Buffer.concat([legitimate, frameWithWindowLog(28)]);
      assert.throws(() => inspectInChunks(withBadFrame, chunkSize), isUnsupported);
    });
  }

  it('refuses a single-segment frame whose content size is past the limit', () => {
    assert.throws(
      () => inspectInChunks(singleSegmentFrame(2n ** 40n), 5),
      (error: unknown) => {
        assert.ok(isCustomsError(error, 'LAYER_UNSUPPORTED'));
        assert.equal(
          error.message,
          'a zstd frame of the layer needs a 1048576 MiB window; Customs decodes windows up to 128 MiB, as zstd does by default',
        );
        return true;
      },
    );
    inspectInChunks(singleSegmentFrame(1000n), 5);
  });
});

describe('scanLayer on a zstd layer with a 1 GiB window (zstd --long=30 from a pipe)', () => {
  it('fails with LAYER_UNSUPPORTED before decoding anything', async () => {
    // Reading from a pipe, zstd cannot shrink the window to the input's size: the frame asks for 1 GiB.
    const blob = execFileSync('sh', ['-c', 'cat | zstd -q -c --long=30'], {
      input: Buffer.concat([ustarFileHeader('f', 1000), Buffer.alloc(1000 + 24 + 1024)]),
    });
    await assert.rejects(scanLayer(blobStream(blob), { wants: () => true }), isUnsupported);
  });
});
