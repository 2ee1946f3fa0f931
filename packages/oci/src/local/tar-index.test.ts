import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isCustomsError } from '@customs/errors';
import { buildTar } from '../testing/index.js';
import { readLocation } from './blob-locator.js';
import { TarIndex } from './tar-index.js';

let directory = '';
before(async () => (directory = await mkdtemp(join(tmpdir(), 'customs-tar-'))));
after(() => rm(directory, { recursive: true, force: true }));

async function indexOf(bytes: Buffer, name = 'archive.tar'): Promise<TarIndex> {
  const file = join(directory, name);
  await writeFile(file, bytes);
  return TarIndex.open(file);
}

async function read(index: TarIndex, name: string): Promise<string | null> {
  const member = index.get(name);
  return member === null ? null : (await readLocation({ file: index.file, ...member })).toString();
}

describe('TarIndex (synthetic tars built with tar-stream)', () => {
  it('indexes members and reads them back by byte range', async () => {
    const longName = `blobs/sha256/${'a'.repeat(64)}/${'deep/'.repeat(30)}file`;
    const index = await indexOf(
      await buildTar([
        { name: 'blobs/', directory: true },
        { name: './manifest.json', bytes: '[{"Config":"c.json"}]' },
        { name: longName, bytes: 'long name via pax' },
        { name: 'empty', bytes: '' },
        { name: 'abc/layer.tar', symlink: '../real.tar' },
        { name: 'real.tar', bytes: 'layer bytes' },
        { name: 'hard', hardlink: 'real.tar' },
        { name: 'loop-a', symlink: 'loop-b' },
        { name: 'loop-b', symlink: 'loop-a' },
      ]),
    );
    assert.equal(await read(index, 'manifest.json'), '[{"Config":"c.json"}]');
    assert.equal(await read(index, longName), 'long name via pax');
    assert.equal(await read(index, 'empty'), '');
    assert.equal(await read(index, 'abc/layer.tar'), 'layer bytes');
    assert.equal(await read(index, 'hard'), 'layer bytes');
    assert.equal(index.get('loop-a'), null);
    assert.equal(index.get('blobs'), null);
    assert.equal(index.get('missing'), null);
  });

  it('refuses a gzip-compressed archive with a hint to gunzip it', async () => {
    const gz = gzipSync(await buildTar([{ name: 'manifest.json', bytes: '[]' }]));
    await assert.rejects(indexOf(gz, 'save.tar.gz'), (error: unknown) => {
      return (
        isCustomsError(error, 'ARCHIVE_COMPRESSED') &&
        /save\.tar\.gz is gzip-compressed$/.test(error.message) &&
        /gunzip -k .*save\.tar\.gz/.test(error.hint ?? '')
      );
    });
  });

  it('refuses something that is not a tar, and a truncated one', async () => {
    await assert.rejects(
      indexOf(Buffer.from('x'.repeat(2048))),
      (e: unknown) => isCustomsError(e, 'ARCHIVE_INVALID') && /bad header checksum at byte 0/.test(e.message),
    );
    const whole = await buildTar([{ name: 'big', bytes: 'y'.repeat(5000) }]);
    await assert.rejects(
      indexOf(whole.subarray(0, 2048)),
      (e: unknown) => isCustomsError(e, 'ARCHIVE_INVALID') && /truncated/.test(e.message),
    );
  });
});
