import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { describeLayers, parseImageConfig, platformOfConfig } from './image-config.js';
import { mediaTypes } from './media-types.js';

const layer = (n: number) => ({
  mediaType: mediaTypes.ociLayerGzip,
  digest: `sha256:${String(n).repeat(64)}`,
  size: n * 10,
});
const diff = (n: number) => `sha256:${'d'.repeat(63)}${n}`;

describe('parseImageConfig', () => {
  it('keeps well-typed fields and drops the rest', () => {
    const config = parseImageConfig(
      Buffer.from(
        JSON.stringify({
          architecture: 'arm64',
          os: 'linux',
          variant: 'v8',
          created: 5,
          config: {
            Env: ['A=1', 2],
            Cmd: null,
            Labels: { a: 'b', c: 3 },
            User: 'x',
            ExposedPorts: { '80/tcp': { junk: 1 } },
            Healthcheck: { Test: ['CMD', 'true', 3], Interval: 5 },
            WorkingDir: 7,
          },
          rootfs: { type: 'layers', diff_ids: [diff(1)] },
          history: [{ created_by: 'RUN x', empty_layer: false }, 'junk'],
        }),
      ),
      'sha256:c',
    );
    assert.deepEqual(config, {
      architecture: 'arm64',
      os: 'linux',
      variant: 'v8',
      config: {
        Env: ['A=1'],
        Cmd: null,
        Labels: { a: 'b' },
        User: 'x',
        ExposedPorts: { '80/tcp': {} },
        Healthcheck: { Test: ['CMD', 'true'] },
      },
      rootfs: { type: 'layers', diff_ids: [diff(1)] },
      history: [{ created_by: 'RUN x', empty_layer: false }, {}],
    });
    assert.deepEqual(platformOfConfig(config), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.equal(platformOfConfig({}), null);
  });

  it('rejects non-JSON with IMAGE_CONFIG_INVALID naming the digest', () => {
    assert.throws(
      () => parseImageConfig(Buffer.from('{'), 'sha256:c', { image: 'i' }),
      (error: unknown) =>
        isCustomsError(error, 'IMAGE_CONFIG_INVALID') &&
        /sha256:c/.test(error.message) &&
        error.context.image === 'i',
    );
  });
});

describe('describeLayers', () => {
  it('pairs layers with diff IDs and non-empty history entries', () => {
    const layers = describeLayers([layer(1), layer(2)], {
      rootfs: { diff_ids: [diff(1), diff(2)] },
      history: [
        { created_by: 'ADD rootfs.tar /' },
        { created_by: 'ENV A=1', empty_layer: true },
        { created_by: 'RUN apt-get install -y curl' },
        { created_by: 'CMD ["bash"]', empty_layer: true },
      ],
    });
    assert.deepEqual(layers, [
      { ...layer(1), diffId: diff(1), createdBy: 'ADD rootfs.tar /' },
      { ...layer(2), diffId: diff(2), createdBy: 'RUN apt-get install -y curl' },
    ]);
  });

  it('gives null, not a wrong pairing, when counts disagree', () => {
    const layers = describeLayers([layer(1), layer(2)], {
      rootfs: { diff_ids: [diff(1)] },
      history: [{ created_by: 'a' }, { created_by: 'b' }, { created_by: 'c' }],
    });
    assert.deepEqual(
      layers.map((l) => [l.diffId, l.createdBy]),
      [
        [null, null],
        [null, null],
      ],
    );
    assert.deepEqual(
      describeLayers([layer(1)], null).map((l) => [l.diffId, l.createdBy]),
      [[null, null]],
    );
  });
});
