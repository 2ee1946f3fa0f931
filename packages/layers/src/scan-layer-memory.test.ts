import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { createGzip } from 'node:zlib';
import { isCustomsError } from '@customs/errors';
import { scanLayer } from './scan-layer.js';
import { blobStream, lazyZeroFileTar, ustarFileHeader } from './testing/synthetic-tar.js';

// SYNTHETIC layers, generated lazily so that nothing of their size ever exists in this process unless
// the code under test holds on to it. This file runs in its own process, so its RSS is its own.

const MiB = 1024 * 1024;

/** Samples the resident set size while `work` runs; returns its peak growth over the start. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - start;
}

describe('memory', () => {
  it('streams past a wanted 300 MiB file over maxFileBytes without holding it', async () => {
    const size = 300 * MiB;
    const layer = lazyZeroFileTar('var/lib/images/disk.img', size);
    const gzip = createGzip({ level: 1 });
    void pipeline(layer.stream, gzip).catch(() => {});
    let scan: Awaited<ReturnType<typeof scanLayer>> | undefined;
    const growth = await peakRssGrowth(async () => {
      scan = await scanLayer(gzip, { wants: () => true, limits: { maxFileBytes: 16 * MiB } });
    });
    assert.equal(layer.produced(), size);
    assert.deepEqual(scan?.files, []);
    assert.equal(scan?.uncompressedBytes, 512 + size + 1024);
    assert.deepEqual(scan?.warnings, [
      `var/lib/images/disk.img: skipped, ${size} bytes is more than the ${16 * MiB}-byte limit for one file (limits.maxFileBytes)`,
    ]);
    assert.ok(
      growth < 100 * MiB,
      `RSS grew by ${Math.round(growth / MiB)} MiB while streaming a 300 MiB file`,
    );
  });

  it('stops a gzip bomb (1 GiB of zeros) with LAYER_TOO_LARGE soon after limits.maxLayerBytes', async () => {
    const layer = lazyZeroFileTar('bomb', 1024 * MiB);
    const gzip = createGzip({ level: 9 });
    void pipeline(layer.stream, gzip).catch(() => {});
    const started = performance.now();
    await assert.rejects(
      scanLayer(gzip, { wants: () => false, limits: { maxLayerBytes: 50 * MiB } }),
      (error: unknown) => {
        assert.ok(isCustomsError(error, 'LAYER_TOO_LARGE'), String(error));
        assert.equal(error.message, 'the layer decompresses to more than 50 MiB');
        return true;
      },
    );
    // Generated lazily: only what the compressor was asked for before the scan stopped exists.
    assert.ok(
      layer.produced() < 128 * MiB,
      `${Math.round(layer.produced() / MiB)} MiB of the bomb were produced`,
    );
    assert.ok(performance.now() - started < 10_000);
    assert.equal(gzip.destroyed, true);
  });

  it('stops a zstd bomb (1 GiB of zeros in a few KiB) without inflating it in memory', async () => {
    const blob = execFileSync('sh', ['-c', `(cat; head -c ${1024 * MiB} /dev/zero) | zstd -q -c -19`], {
      input: ustarFileHeader('bomb', 1024 * MiB),
    });
    assert.ok(blob.length < 256 * 1024, `the zstd bomb is ${blob.length} bytes`);
    const growth = await peakRssGrowth(() =>
      assert.rejects(
        scanLayer(blobStream(blob), { wants: () => false, limits: { maxLayerBytes: 50 * MiB } }),
        (error: unknown) => isCustomsError(error, 'LAYER_TOO_LARGE'),
      ),
    );
    assert.ok(growth < 200 * MiB, `RSS grew by ${Math.round(growth / MiB)} MiB`);
  });
});
