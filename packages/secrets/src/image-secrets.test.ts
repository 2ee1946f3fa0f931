import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LayerSecrets } from '@customs/model';
import { stackSecrets, type SecretLayer } from './image-secrets.js';
import { pathHash } from './layer-secret-scan.js';

function layer(
  digest: string,
  paths: string[],
  found: string[] = [],
  deletes: Partial<SecretLayer> = {},
): SecretLayer {
  const secrets: LayerSecrets = {
    findings: found.map((path) => ({
      ruleId: 'r',
      severity: 'HIGH',
      title: 't',
      path,
      line: 1,
      match: 'ab****',
    })),
    scannedFiles: paths.length,
    skipped: { binary: 1, tooLarge: 0, skippedPath: 0 },
    pathHashes: paths.map(pathHash),
  };
  return { digest, whiteouts: [], opaqueDirs: [], secrets, ...deletes };
}

describe('stackSecrets', () => {
  it('marks a secret deleted, overwritten or hidden by an opaque directory in a later layer', () => {
    const image = stackSecrets([
      layer('sha256:0', ['a/key', 'b/key', 'c/d/key', 'e/key'], ['a/key', 'b/key', 'c/d/key', 'e/key']),
      layer('sha256:1', ['x'], [], { whiteouts: ['a/key'] }),
      layer('sha256:2', ['b/key'], [], { opaqueDirs: ['c'] }),
    ]);
    assert.deepEqual(
      image.findings.map((f) => [f.path, f.layerIndex, f.layerDigest, f.removedInLayer]),
      [
        ['a/key', 0, 'sha256:0', 1],
        ['b/key', 0, 'sha256:0', 2],
        ['c/d/key', 0, 'sha256:0', 2],
        ['e/key', 0, 'sha256:0', null],
      ],
    );
    assert.equal(image.scannedFiles, 6);
    assert.deepEqual(image.skipped, { binary: 3, tooLarge: 0, skippedPath: 0 });
  });

  it('a whiteout of a parent directory removes the file; the nearest later layer is named', () => {
    const image = stackSecrets([
      layer('sha256:0', ['etc/app/key'], ['etc/app/key']),
      layer('sha256:1', [], [], { whiteouts: ['etc/app'] }),
      layer('sha256:2', [], [], { whiteouts: ['etc/app/key'] }),
    ]);
    assert.equal(image.findings[0]?.removedInLayer, 1);
  });
});
