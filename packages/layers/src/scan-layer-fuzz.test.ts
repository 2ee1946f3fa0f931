import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { layerErrorCodes } from './errors.js';
import { scanLayer } from './scan-layer.js';
import { blobStream, gzipCompress, syntheticTar, zstdCompress } from './testing/synthetic-tar.js';

// SYNTHETIC damaged layers: a small valid layer, cut at many offsets or with bytes overwritten at
// positions from a fixed-seed generator. Whatever the damage, a scan must end (no hang), and end either
// with a result or with one of this package's errors: never a crash, never a stray library error.

/** mulberry32: a tiny deterministic generator, so a failure here can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function layer(): Promise<Buffer> {
  return syntheticTar([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/os-release', data: 'ID=debian\nVERSION_ID=12\n' },
    { name: 'etc/alternatives/awk', type: 'symlink', linkname: '/usr/bin/mawk' },
    { name: `usr/share/${'long-name-'.repeat(15)}`, data: 'x'.repeat(3000) },
    { name: 'usr/bin/mawk', data: Buffer.alloc(5000, 7) },
    { name: 'usr/bin/awk', type: 'link', linkname: 'usr/bin/mawk' },
  ]);
}

const knownCodes: readonly string[] = layerErrorCodes;

/** Scans `blob`; returns 'ok' or the error code, failing the test on anything else or after 5 s. */
async function outcome(blob: Buffer): Promise<string> {
  const scan = scanLayer(blobStream(blob, 257), {
    wants: () => true,
    limits: { maxLayerBytes: 1024 * 1024 },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the scan hung')), 5000);
  });
  try {
    await Promise.race([scan, timeout]);
    return 'ok';
  } catch (error) {
    assert.ok(
      isCustomsError(error) && knownCodes.includes(error.code),
      `not a layer error: ${String(error)}`,
    );
    return error.code;
  } finally {
    clearTimeout(timer);
  }
}

describe('damaged layers never crash or hang', () => {
  it('a plain tar cut at every 61st byte: whole entries pass, anything else is LAYER_TRUNCATED', async () => {
    const tar = await layer();
    const outcomes = new Set<string>();
    for (let cut = 0; cut < tar.length; cut += 61) {
      const result = await outcome(tar.subarray(0, cut));
      outcomes.add(result);
      if (cut % 512 !== 0) assert.equal(result, 'LAYER_TRUNCATED', `cut at ${cut}`);
    }
    assert.deepEqual([...outcomes].sort(), ['LAYER_TRUNCATED', 'ok']);
  });

  for (const [name, compress] of [
    ['gzip', gzipCompress],
    ['zstd', zstdCompress],
    ['plain tar', (tar: Buffer) => tar],
  ] as const) {
    it(`${name}: 300 layers with 1 to 8 bytes overwritten at random`, async () => {
      const blob = compress(await layer());
      const next = random(name.length);
      for (let round = 0; round < 300; round++) {
        const damaged = Buffer.from(blob);
        const flips = 1 + Math.floor(next() * 8);
        for (let flip = 0; flip < flips; flip++) {
          damaged[Math.floor(next() * damaged.length)] = Math.floor(next() * 256);
        }
        await outcome(damaged);
      }
    });
  }
});
