import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isCustomsError, type CustomsError, type ErrorCode } from '@customs/errors';
import { LayerTruncatedError } from './errors.js';
import { scanLayer } from './scan-layer.js';
import {
  blobStream,
  blobStreamFailingAtEnd,
  gzipCompress,
  syntheticTar,
  zstdCompress,
} from './testing/synthetic-tar.js';

// Every layer in this file is SYNTHETIC and hostile on purpose: built here with tar-stream and zlib.

const wantAll = (): boolean => true;

function rejectsWithCode(code: ErrorCode, check: (error: CustomsError) => void = () => {}) {
  return (error: unknown): boolean => {
    assert.ok(isCustomsError(error, code), `expected ${code}, got ${String(error)}`);
    check(error);
    return true;
  };
}

/** Two files; the second, `usr/share/b`, has 1000 bytes of data starting at byte 512 + 512 + 512. */
async function twoFileTar(): Promise<{ tar: Buffer; secondDataOffset: number }> {
  const tar = await syntheticTar([
    { name: 'usr/share/a', data: 'a'.repeat(100) },
    { name: 'usr/share/b', data: 'b'.repeat(1000) },
  ]);
  return { tar, secondDataOffset: 1536 };
}

describe('hostile names', () => {
  it('skips names that climb out of the root, with a warning naming each, and never offers them', async () => {
    const tar = await syntheticTar([
      { name: '../../etc/passwd', data: 'root:x:0:0::/root:/bin/sh\n' },
      { name: 'a/../../x', data: 'x' },
      { name: 'a/../etc/group', data: 'root:x:0:\n' },
    ]);
    const offered: string[] = [];
    const scan = await scanLayer(blobStream(gzipCompress(tar)), {
      wants: (path) => {
        offered.push(path);
        return true;
      },
    });
    assert.deepEqual(offered, ['etc/group']);
    assert.deepEqual(
      scan.files.map((file) => file.path),
      ['etc/group'],
    );
    assert.deepEqual(scan.warnings, [
      '../../etc/passwd: skipped, its path escapes the root of the layer',
      'a/../../x: skipped, its path escapes the root of the layer',
    ]);
  });

  it('finds an absolute /etc/os-release as etc/os-release', async () => {
    const tar = await syntheticTar([{ name: '/etc/os-release', data: 'ID=debian\n' }]);
    const scan = await scanLayer(blobStream(tar), { wants: (path) => path === 'etc/os-release' });
    assert.deepEqual(
      scan.files.map((file) => [file.path, file.data.toString()]),
      [['etc/os-release', 'ID=debian\n']],
    );
  });

  it('records a symlink loop (a → b, b → a) as two links, without following either', async () => {
    const tar = await syntheticTar([
      { name: 'loop/a', type: 'symlink', linkname: 'b' },
      { name: 'loop/b', type: 'symlink', linkname: 'a' },
      { name: 'loop/self', type: 'symlink', linkname: '/loop/self' },
    ]);
    const scan = await scanLayer(blobStream(gzipCompress(tar)), { wants: wantAll });
    assert.deepEqual(
      scan.files.map((file) => [file.path, file.linkTarget]),
      [
        ['loop/a', 'b'],
        ['loop/b', 'a'],
        ['loop/self', '/loop/self'],
      ],
    );
  });
});

describe('corrupt and truncated layers', () => {
  it('fails a truncated gzip with LAYER_CORRUPT', async () => {
    const blob = gzipCompress(
      await syntheticTar([{ name: 'etc/os-release', data: 'ID=debian\n'.repeat(500) }]),
    );
    const cut = blob.subarray(0, Math.floor(blob.length / 2));
    await assert.rejects(
      scanLayer(blobStream(cut), { wants: wantAll }),
      rejectsWithCode('LAYER_CORRUPT', (error) =>
        assert.equal(error.message, 'the gzip stream ends early (the blob was cut short)'),
      ),
    );
  });

  it('fails damaged gzip data with LAYER_CORRUPT', async () => {
    const blob = Buffer.from(gzipCompress(await syntheticTar([{ name: 'f', data: 'x'.repeat(20000) }])));
    blob.fill(0xff, 20, 60);
    await assert.rejects(
      scanLayer(blobStream(blob), { wants: wantAll }),
      rejectsWithCode('LAYER_CORRUPT', (error) =>
        assert.match(error.message, /^the gzip stream is invalid: /),
      ),
    );
  });

  it('fails a truncated zstd stream with LAYER_CORRUPT', async () => {
    const blob = zstdCompress(await syntheticTar([{ name: 'f', data: 'x'.repeat(20000) }]));
    await assert.rejects(
      scanLayer(blobStream(blob.subarray(0, blob.length - 8)), { wants: wantAll }),
      rejectsWithCode('LAYER_CORRUPT', (error) => assert.equal(error.message, 'the zstd stream ends early')),
    );
  });

  it('fails bytes that are not a tar with LAYER_CORRUPT', async () => {
    const garbage = Buffer.from('This is a README, not a layer.\n'.repeat(100));
    for (const blob of [garbage, gzipCompress(garbage)]) {
      await assert.rejects(
        scanLayer(blobStream(blob), { wants: wantAll }),
        rejectsWithCode('LAYER_CORRUPT', (error) =>
          assert.match(error.message, /^the layer is not a valid tar at its start: Invalid tar header/),
        ),
      );
    }
  });

  for (const wanted of [true, false]) {
    it(`fails a tar cut inside its last file's data, in an intact gzip stream, with LAYER_TRUNCATED (file ${wanted ? '' : 'not '}wanted)`, async () => {
      // What Debian's umoci insert 0.4.7 writes: the last file's data and the end blocks are missing.
      const { tar, secondDataOffset } = await twoFileTar();
      const cut = tar.subarray(0, secondDataOffset + 400);
      await assert.rejects(
        scanLayer(blobStream(gzipCompress(cut)), { wants: () => wanted }),
        rejectsWithCode('LAYER_TRUNCATED', (error) => {
          assert.equal(error.message, 'the tar stops inside usr/share/b: 600 of its 1000 bytes are missing');
          assert.ok(error instanceof LayerTruncatedError);
          assert.equal(error.missingBytes, 600);
          assert.deepEqual(error.context, { path: 'usr/share/b' });
          assert.match(error.hint ?? '', /written incompletely/);
        }),
      );
    });
  }

  it('fails a tar cut inside a header with LAYER_TRUNCATED', async () => {
    const { tar } = await twoFileTar();
    await assert.rejects(
      scanLayer(blobStream(gzipCompress(tar.subarray(0, 1024 + 100))), { wants: wantAll }),
      rejectsWithCode('LAYER_TRUNCATED', (error) => {
        assert.equal(
          error.message,
          'the tar stops inside a 512-byte header block after usr/share/a: 412 bytes are missing',
        );
        assert.deepEqual(error.context, { path: 'usr/share/a' });
      }),
    );
  });

  it('fails a tar whose last file is whole but whose padding and end blocks are missing with LAYER_TRUNCATED', async () => {
    const { tar } = await twoFileTar();
    await assert.rejects(
      scanLayer(blobStream(gzipCompress(tar.subarray(0, 1536 + 1000))), { wants: wantAll }),
      rejectsWithCode('LAYER_TRUNCATED', (error) => {
        assert.equal(
          error.message,
          'the tar stops in the padding after usr/share/b: its 1000 bytes of data are there, but 24 bytes of padding and the end-of-archive blocks are missing',
        );
        assert.deepEqual(error.context, { path: 'usr/share/b' });
      }),
    );
  });

  it('accepts a tar that ends at an entry boundary without its end blocks, with a warning', async () => {
    const { tar } = await twoFileTar();
    const withoutEndBlocks = tar.subarray(0, 1536 + 1024);
    const scan = await scanLayer(blobStream(gzipCompress(withoutEndBlocks)), { wants: wantAll });
    assert.deepEqual(
      scan.files.map((file) => [file.path, file.data.length]),
      [
        ['usr/share/a', 100],
        ['usr/share/b', 1000],
      ],
    );
    assert.deepEqual(scan.warnings, [
      'the tar lacks its end-of-archive blocks after its last entry usr/share/b; read as complete, as GNU tar does',
    ]);
  });

  it('warns about an empty blob but reads it as an empty layer', async () => {
    const scan = await scanLayer(blobStream(Buffer.alloc(0)), { wants: wantAll });
    assert.equal(scan.entries, 0);
    assert.deepEqual(scan.warnings, [
      'the tar lacks its end-of-archive blocks and has no entries; read as complete, as GNU tar does',
    ]);
  });
});

describe('a source stream that fails', () => {
  for (const [name, compress] of [
    ['gzip', gzipCompress],
    ['zstd', zstdCompress],
    ['plain tar', (tar: Buffer) => tar],
  ] as const) {
    it(`passes the source's own error on unchanged and returns nothing (${name})`, async () => {
      // Mimics the verifying stream of @customs/oci: every byte arrives, then the digest check fails.
      const mismatch = new Error('blob digest mismatch');
      const { tar } = await twoFileTar();
      // The tar itself is complete and valid: only the source's failure stands between it and a result.
      await assert.rejects(
        scanLayer(blobStreamFailingAtEnd(compress(tar), mismatch, 100), { wants: wantAll }),
        (error: unknown) => error === mismatch,
      );
    });
  }
});

describe('abort', () => {
  it('stops a scan whose source stalls, and destroys the source', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push(gzipCompress(await syntheticTar([{ name: 'f', data: 'x' }])).subarray(0, 10));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 50);
    await assert.rejects(
      scanLayer(stalled, { wants: wantAll, signal: controller.signal }),
      rejectsWithCode('LAYER_SCAN_ABORTED', (error) => assert.equal(error.cause, controller.signal.reason)),
    );
    assert.equal(stalled.destroyed, true);
  });

  it('stops between two files when aborted from onFile', async () => {
    const controller = new AbortController();
    const { tar } = await twoFileTar();
    const seen: string[] = [];
    await assert.rejects(
      scanLayer(blobStream(gzipCompress(tar), 100), {
        wants: wantAll,
        signal: controller.signal,
        onFile: (file) => {
          seen.push(file.path);
          controller.abort();
          return 'keep';
        },
      }),
      rejectsWithCode('LAYER_SCAN_ABORTED'),
    );
    assert.deepEqual(seen, ['usr/share/a']);
  });

  it('refuses to start when already aborted, even when the reason is another scan’s CustomsError', async () => {
    // The indexer aborts the other layers of an image with the error that failed one of them.
    const otherLayerFailure = new LayerTruncatedError('the tar stops inside x', 'x', 1);
    const source = blobStream(Buffer.alloc(10));
    await assert.rejects(
      scanLayer(source, { wants: wantAll, signal: AbortSignal.abort(otherLayerFailure) }),
      rejectsWithCode('LAYER_SCAN_ABORTED', (error) => assert.equal(error.cause, otherLayerFailure)),
    );
    assert.equal(source.destroyed, true);
  });
});

describe('limits', () => {
  it('fails past limits.maxEntries with LAYER_TOO_MANY_ENTRIES naming the entry', async () => {
    const tar = await syntheticTar(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: `${i}` })));
    await assert.rejects(
      scanLayer(blobStream(tar), { wants: wantAll, limits: { maxEntries: 3 } }),
      rejectsWithCode('LAYER_TOO_MANY_ENTRIES', (error) => assert.deepEqual(error.context, { path: 'f3' })),
    );
  });

  it('fails with LAYER_KEEPS_TOO_MUCH when the kept files pass limits.maxKeptBytes; released ones do not count', async () => {
    const tar = await syntheticTar(
      Array.from({ length: 4 }, (_, i) => ({ name: `f${i}`, data: 'x'.repeat(400) })),
    );
    await assert.rejects(
      scanLayer(blobStream(tar), { wants: wantAll, limits: { maxKeptBytes: 1000 } }),
      rejectsWithCode('LAYER_KEEPS_TOO_MUCH', (error) => assert.deepEqual(error.context, { path: 'f2' })),
    );
    const released = await scanLayer(blobStream(tar), {
      wants: wantAll,
      onFile: () => 'release',
      limits: { maxKeptBytes: 1000 },
    });
    assert.equal(released.files.length, 0);
  });

  it('skips a wanted file over limits.maxFileBytes with a warning and an unread record; an unwanted one silently', async () => {
    const tar = await syntheticTar([
      { name: 'small', data: 'x'.repeat(10) },
      { name: 'big', data: 'x'.repeat(101) },
      { name: 'unwanted/big', data: 'x'.repeat(101) },
    ]);
    const scan = await scanLayer(blobStream(tar), {
      wants: (path) => !path.startsWith('unwanted/'),
      limits: { maxFileBytes: 100 },
    });
    assert.deepEqual(
      scan.files.map((file) => file.path),
      ['small'],
    );
    const reason =
      'big: skipped, 101 bytes is more than the 100-byte limit for one file (limits.maxFileBytes)';
    assert.deepEqual(scan.warnings, [reason]);
    assert.deepEqual(scan.unread, [{ path: 'big', code: 'FILE_TOO_LARGE', reason }]);
  });

  it('refuses a limit that is not a positive integer with INVALID_OPTION, and releases the source', async () => {
    const source = blobStream(Buffer.alloc(0));
    await assert.rejects(
      scanLayer(source, { wants: wantAll, limits: { maxEntries: -1 } }),
      rejectsWithCode('INVALID_OPTION', (error) =>
        assert.equal(error.message, 'invalid option limits.maxEntries: -1 is not a positive integer'),
      ),
    );
    assert.equal(source.destroyed, true);
  });
});
