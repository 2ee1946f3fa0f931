import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import {
  createFakeRegistry,
  fakeImage,
  type FakeRegistry,
  type FakeRegistryOptions,
} from '../testing/index.js';
import type { RegistryClientOptions } from './client-environment.js';
import { openRegistryImage } from './registry-source.js';

const image = fakeImage({ layers: ['only layer'] });
const amd64 = { kind: 'one', platform: { os: 'linux', architecture: 'amd64' } } as const;
const open: FakeRegistry[] = [];
after(() => Promise.all(open.map((registry) => registry.close())));

async function registryWith(options: Partial<FakeRegistryOptions>): Promise<FakeRegistry> {
  const registry = await createFakeRegistry({ images: { 'demo/app:1.0': image }, ...options });
  open.push(registry);
  return registry;
}

/** A sleep that returns at once and remembers what it was asked to wait. */
function recordingSleep(): { delays: number[]; options: RegistryClientOptions } {
  const delays: number[] = [];
  return {
    delays,
    options: { sleep: async (ms) => void delays.push(ms), random: () => 0, retry: { baseDelayMs: 100 } },
  };
}

async function pullLayer(host: string, options: RegistryClientOptions): Promise<string> {
  const source = openRegistryImage(`${host}/demo/app:1.0`, options);
  try {
    const [resolved] = await source.resolve(amd64);
    const layer = resolved?.layers[0];
    assert.ok(resolved && layer);
    const chunks: Buffer[] = [];
    for await (const chunk of await resolved.openLayer(layer)) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString();
  } finally {
    await source.close();
  }
}

describe('retries', () => {
  it('retries a 500 with exponential backoff, then succeeds', async () => {
    const registry = await registryWith({ failures: [{ on: 'manifest', status: 500, times: 2 }] });
    const { delays, options } = recordingSleep();
    assert.equal(await pullLayer(registry.host, options), 'only layer');
    assert.deepEqual(delays, [50, 100]);
    assert.equal(registry.stats.manifestGets, 3);
  });

  it('retries 5xx on pings, token requests and blobs too', async () => {
    const registry = await registryWith({
      auth: 'token',
      anonymousPull: true,
      failures: [
        { on: 'ping', status: 502 },
        { on: 'token', status: 503 },
        { on: 'blob', status: 504 },
      ],
    });
    const { delays, options } = recordingSleep();
    assert.equal(await pullLayer(registry.host, options), 'only layer');
    assert.deepEqual(delays, [50, 50, 50]);
  });

  it('honours Retry-After seconds on a 429', async () => {
    const registry = await registryWith({
      failures: [{ on: 'manifest', status: 429, headers: { 'retry-after': '7' } }],
    });
    const { delays, options } = recordingSleep();
    assert.equal(await pullLayer(registry.host, options), 'only layer');
    assert.deepEqual(delays, [7000]);
  });

  it('honours a Retry-After HTTP date against the injected clock, and caps long waits', async () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    const registry = await registryWith({
      failures: [
        { on: 'blob', status: 429, headers: { 'retry-after': 'Wed, 01 May 2024 10:00:12 GMT' } },
        { on: 'manifest', status: 429, headers: { 'retry-after': '86400' } },
      ],
    });
    const { delays, options } = recordingSleep();
    assert.equal(
      await pullLayer(registry.host, { ...options, now: () => now, retry: { maxRetryAfterMs: 30_000 } }),
      'only layer',
    );
    assert.deepEqual(delays, [30_000, 12_000]);
  });

  it('gives up with REGISTRY_UNAVAILABLE saying how many attempts were made', async () => {
    const registry = await registryWith({ failures: [{ on: 'manifest', status: 503, times: 10 }] });
    const { delays, options } = recordingSleep();
    await assert.rejects(
      pullLayer(registry.host, { ...options, retry: { maxAttempts: 3, baseDelayMs: 100 } }),
      (error: unknown) => {
        return (
          isCustomsError(error, 'REGISTRY_UNAVAILABLE') &&
          error.message ===
            `registry ${registry.host} is unavailable: HTTP 503 from ${registry.host} (gave up after 3 attempts)` &&
          error.context.image === `${registry.host}/demo/app:1.0`
        );
      },
    );
    assert.deepEqual(delays, [50, 100]);
  });

  it('retries refused connections, then gives up', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { delays, options } = recordingSleep();
    await assert.rejects(
      pullLayer(`127.0.0.1:${address.port}`, { ...options, retry: { maxAttempts: 4, baseDelayMs: 100 } }),
      (error: unknown) =>
        isCustomsError(error, 'REGISTRY_UNAVAILABLE') &&
        /ECONNREFUSED.*gave up after 4 attempts/.test(error.message),
    );
    assert.deepEqual(delays, [50, 100, 200]);
  });
});
