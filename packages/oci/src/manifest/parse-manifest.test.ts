import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { mediaTypes } from './media-types.js';
import { parseManifest } from './parse-manifest.js';

const d1 = `sha256:${'1'.repeat(64)}`;
const d2 = `sha256:${'2'.repeat(64)}`;
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseManifest', () => {
  it('reads an OCI image manifest', () => {
    const manifest = parseManifest(
      bytes({
        schemaVersion: 2,
        mediaType: mediaTypes.ociManifest,
        config: { mediaType: mediaTypes.ociConfig, digest: d1, size: 10 },
        layers: [{ mediaType: mediaTypes.ociLayerGzip, digest: d2, size: 20, annotations: { a: 'b', n: 1 } }],
      }),
      null,
      'm',
    );
    assert.deepEqual(manifest, {
      kind: 'manifest',
      mediaType: mediaTypes.ociManifest,
      config: { mediaType: mediaTypes.ociConfig, digest: d1, size: 10 },
      layers: [{ mediaType: mediaTypes.ociLayerGzip, digest: d2, size: 20, annotations: { a: 'b' } }],
    });
  });

  it('takes the served media type when the body has none, and sniffs the shape last', () => {
    const list = bytes({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: mediaTypes.dockerManifest,
          digest: d1,
          size: 5,
          platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        },
      ],
    });
    const served = parseManifest(list, `${mediaTypes.dockerManifestList}; charset=utf-8`, 'm');
    assert.equal(served.mediaType, mediaTypes.dockerManifestList);
    assert.deepEqual(served.kind === 'index' && served.manifests[0]?.platform, {
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
    });
    assert.equal(parseManifest(list, 'application/octet-stream', 'm').mediaType, mediaTypes.ociIndex);
  });

  it('rejects schema 1 with UNSUPPORTED_MANIFEST', () => {
    const schema1 = bytes({ schemaVersion: 1, name: 'library/debian', tag: 'latest', fsLayers: [] });
    assert.throws(
      () =>
        parseManifest(schema1, mediaTypes.dockerSchema1Signed, 'manifest debian:latest', { image: 'debian' }),
      (error: unknown) =>
        isCustomsError(error, 'UNSUPPORTED_MANIFEST') &&
        /schema 1/.test(error.message) &&
        error.context.image === 'debian',
    );
  });

  it('rejects artifacts with NOT_AN_IMAGE and unknown media types with UNSUPPORTED_MANIFEST', () => {
    const helm = bytes({
      schemaVersion: 2,
      mediaType: mediaTypes.ociManifest,
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: d1, size: 1 },
      layers: [],
    });
    assert.throws(
      () => parseManifest(helm, null, 'm'),
      (e: unknown) => isCustomsError(e, 'NOT_AN_IMAGE') && /helm/.test(e.message),
    );
    const unknown = bytes({ mediaType: 'application/vnd.example+json' });
    assert.throws(
      () => parseManifest(unknown, null, 'm'),
      (e: unknown) => isCustomsError(e, 'UNSUPPORTED_MANIFEST'),
    );
    assert.throws(
      () => parseManifest(bytes({ hello: 1 }), null, 'm'),
      (e: unknown) => isCustomsError(e, 'UNSUPPORTED_MANIFEST'),
    );
  });

  it('rejects malformed JSON and descriptors with MANIFEST_INVALID', () => {
    const cases: unknown[] = [
      'not json',
      [1, 2],
      { mediaType: mediaTypes.ociIndex, manifests: {} },
      {
        mediaType: mediaTypes.ociIndex,
        manifests: [{ mediaType: mediaTypes.ociManifest, digest: 'sha256:short', size: 1 }],
      },
      {
        mediaType: mediaTypes.ociIndex,
        manifests: [{ mediaType: mediaTypes.ociManifest, digest: d1, size: -1 }],
      },
      {
        mediaType: mediaTypes.ociManifest,
        config: { mediaType: mediaTypes.ociConfig, digest: d1, size: 1 },
        layers: 'x',
      },
    ];
    for (const body of cases) {
      const input = typeof body === 'string' ? Buffer.from(body) : bytes(body);
      assert.throws(
        () => parseManifest(input, null, 'm'),
        (e: unknown) => isCustomsError(e, 'MANIFEST_INVALID'),
        JSON.stringify(body),
      );
    }
  });
});
