import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { isCustomsError } from '@customs/errors';
import { digestOf } from '../digest.js';
import type { ResolvedImage } from '../image-source.js';
import {
  createFakeRegistry,
  fakeImage,
  type FakeRegistry,
  type FakeRegistryOptions,
} from '../testing/index.js';
import type { RegistryClientOptions } from './client-environment.js';
import { openRegistryImage } from './registry-source.js';

const layerBytes = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
const image = fakeImage({ layers: [layerBytes] });
const layerDigest = image.layers[0]?.digest ?? '';
const amd64 = { kind: 'one', platform: { os: 'linux', architecture: 'amd64' } } as const;
const quick: RegistryClientOptions = { sleep: async () => {}, random: () => 0 };
const cleanup: Array<() => Promise<void>> = [];
after(() => Promise.all(cleanup.map((close) => close())));

async function resolveFrom(
  options: Partial<FakeRegistryOptions>,
  client: RegistryClientOptions = quick,
): Promise<{ registry: FakeRegistry; resolved: ResolvedImage }> {
  const registry = await createFakeRegistry({ images: { 'demo/app:1.0': image }, ...options });
  const source = openRegistryImage(`${registry.host}/demo/app:1.0`, client);
  cleanup.push(
    () => registry.close(),
    () => source.close(),
  );
  const [resolved] = await source.resolve(amd64);
  assert.ok(resolved);
  return { registry, resolved };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function onlyLayer(resolved: ResolvedImage) {
  const layer = resolved.layers[0];
  assert.ok(layer);
  return layer;
}

describe('blob streams', () => {
  it('follows a 307 to the storage origin without the registry Authorization', async () => {
    const { registry, resolved } = await resolveFrom({
      auth: 'token',
      anonymousPull: true,
      redirectBlobs: true,
    });
    assert.deepEqual(await collect(await resolved.openLayer(onlyLayer(resolved))), layerBytes);
    const storage = registry.requests.filter((r) => r.server === 'storage');
    assert.equal(storage.length, 2); // config and layer
    assert.deepEqual(
      storage.map((r) => r.authorization),
      [null, null],
    );
    assert.equal(registry.stats.storageAuthRejected, 0);
    assert.ok(
      registry.requests
        .filter((r) => r.server === 'registry' && r.path.includes('/blobs/'))
        .every((r) => r.authorization?.startsWith('Bearer ')),
    );
  });

  it('errors at the end of a layer whose bytes do not match its digest, naming layer, expected and actual', async () => {
    const { registry, resolved } = await resolveFrom({});
    const tampered = Buffer.from(layerBytes);
    tampered[5] = 0x21;
    registry.replaceBlob(layerDigest, tampered);
    const stream = await resolved.openLayer(onlyLayer(resolved));
    let ended = false;
    stream.on('end', () => (ended = true));
    await assert.rejects(collect(stream), (error: unknown) => {
      return (
        isCustomsError(error, 'BLOB_DIGEST_MISMATCH') &&
        error.message === `layer ${layerDigest} has digest ${digestOf(tampered)}, expected ${layerDigest}` &&
        error.context.layer === layerDigest &&
        error.context.image === `${registry.host}/demo/app:1.0`
      );
    });
    assert.equal(ended, false);
  });

  it('errors when the blob is longer or shorter than its descriptor', async () => {
    const { registry, resolved } = await resolveFrom({});
    registry.replaceBlob(layerDigest, Buffer.concat([layerBytes, Buffer.from('!')]));
    await assert.rejects(
      collect(await resolved.openLayer(onlyLayer(resolved))),
      (e: unknown) => isCustomsError(e, 'BLOB_SIZE_MISMATCH') && /more than 36/.test(e.message),
    );
    registry.replaceBlob(layerDigest, layerBytes.subarray(1));
    await assert.rejects(
      collect(await resolved.openLayer(onlyLayer(resolved))),
      (e: unknown) =>
        isCustomsError(e, 'BLOB_SIZE_MISMATCH') && /is 35 bytes, its descriptor says 36/.test(e.message),
    );
  });

  it('resumes a body that breaks mid-stream with a Range request', async () => {
    const { registry, resolved } = await resolveFrom({
      breakBlobs: { afterBytes: 10, times: 2, digest: layerDigest },
    });
    const progress: number[] = [];
    const bytes = await collect(
      await resolved.openLayer(onlyLayer(resolved), { onBytes: (n) => progress.push(n) }),
    );
    assert.deepEqual(bytes, layerBytes);
    const layerGets = registry.requests.filter((r) => r.path.endsWith(layerDigest));
    assert.deepEqual(
      layerGets.map((r) => r.range),
      [null, 'bytes=10-', 'bytes=20-'],
    );
    assert.deepEqual(progress.at(-1), layerBytes.length);
  });

  it('fails clearly when the server cannot resume (no Range support)', async () => {
    const { resolved } = await resolveFrom({
      rangeRequests: false,
      breakBlobs: { afterBytes: 10, digest: layerDigest },
    });
    await assert.rejects(collect(await resolved.openLayer(onlyLayer(resolved))), (error: unknown) => {
      return (
        isCustomsError(error, 'BLOB_TRANSFER_INTERRUPTED') &&
        /^download of layer sha256:\w+ broke off after 10 of 36 bytes and 127\.0\.0\.1:\d+ cannot resume it \(no Range support\)$/.test(
          error.message,
        ) &&
        error.context.layer === layerDigest
      );
    });
  });

  it('gives up on a body that keeps breaking', async () => {
    const { resolved } = await resolveFrom(
      { breakBlobs: { afterBytes: 1, times: 50, digest: layerDigest } },
      { ...quick, retry: { maxAttempts: 3 } },
    );
    await assert.rejects(collect(await resolved.openLayer(onlyLayer(resolved))), (error: unknown) => {
      return (
        isCustomsError(error, 'BLOB_TRANSFER_INTERRUPTED') &&
        /broke off after 3 of 36 bytes, 3 times$/.test(error.message)
      );
    });
  });

  it('reports a missing blob as BLOB_NOT_FOUND and a foreign descriptor as LAYER_NOT_IN_IMAGE', async () => {
    const { registry, resolved } = await resolveFrom({});
    registry.deleteBlob(layerDigest);
    await assert.rejects(
      resolved.openLayer(onlyLayer(resolved)),
      (e: unknown) =>
        isCustomsError(e, 'BLOB_NOT_FOUND') &&
        e.message === `blob ${layerDigest} not found in ${registry.host}/demo/app`,
    );
    const foreign = { ...onlyLayer(resolved), digest: `sha256:${'f'.repeat(64)}` };
    await assert.rejects(resolved.openLayer(foreign), (e: unknown) =>
      isCustomsError(e, 'LAYER_NOT_IN_IMAGE'),
    );
  });

  it('stops on abort', async () => {
    const { resolved } = await resolveFrom({});
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(resolved.openLayer(onlyLayer(resolved), { signal: controller.signal }), {
      name: 'AbortError',
    });
    const late = new AbortController();
    const stream = await resolved.openLayer(onlyLayer(resolved), { signal: late.signal });
    late.abort();
    await assert.rejects(collect(stream), { name: 'AbortError' });
  });

  it('holds back a big blob while nobody reads (backpressure, no whole-blob buffering)', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 7);
    const bigImage = fakeImage({ layers: [big] });
    const registry = await createFakeRegistry({ images: { 'demo/big:1': bigImage } });
    const source = openRegistryImage(`${registry.host}/demo/big:1`, quick);
    cleanup.push(
      () => registry.close(),
      () => source.close(),
    );
    const [resolved] = await source.resolve(amd64);
    assert.ok(resolved);
    const received: number[] = [];
    const stream = await resolved.openLayer(onlyLayer(resolved), { onBytes: (n) => received.push(n) });
    stream.pause();
    stream.read(0);
    await delay(200);
    const buffered = received.at(-1) ?? 0;
    assert.ok(buffered < 1024 * 1024, `read ahead ${buffered} bytes of an 8 MiB blob while paused`);
    assert.equal((await collect(stream)).length, big.length);
  });
});
