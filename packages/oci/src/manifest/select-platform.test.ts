import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { Platform } from '../image-source.js';
import { mediaTypes } from './media-types.js';
import { selectCandidates, type Candidate } from './select-platform.js';

function candidate(n: number, platform?: Platform, annotations?: Record<string, string>): Candidate {
  return {
    descriptor: {
      mediaType: mediaTypes.ociManifest,
      digest: `sha256:${String(n).repeat(64)}`,
      size: 1,
      ...(platform && { platform }),
      ...(annotations && { annotations }),
    },
    indexDigest: null,
  };
}

const amd64 = candidate(1, { os: 'linux', architecture: 'amd64' });
const arm64v8 = candidate(2, { os: 'linux', architecture: 'arm64', variant: 'v8' });
const armv6 = candidate(3, { os: 'linux', architecture: 'arm', variant: 'v6' });
const armv7 = candidate(4, { os: 'linux', architecture: 'arm', variant: 'v7' });
const attestationUnknown = candidate(5, { os: 'unknown', architecture: 'unknown' });
const attestationAnnotated = candidate(
  6,
  { os: 'linux', architecture: 'amd64' },
  { 'vnd.docker.reference.type': 'attestation-manifest' },
);
const all = [attestationAnnotated, amd64, arm64v8, armv6, armv7, attestationUnknown];
const one = (platform: Platform) => ({ kind: 'one' as const, platform });

describe('selectCandidates', () => {
  it('matches arm64 to arm64/v8', () => {
    assert.deepEqual(selectCandidates(all, one({ os: 'linux', architecture: 'arm64' })), [arm64v8]);
  });

  it('needs the arm variant to match: v7 is not v6', () => {
    assert.deepEqual(selectCandidates(all, one({ os: 'linux', architecture: 'arm', variant: 'v7' })), [
      armv7,
    ]);
    assert.deepEqual(selectCandidates(all, one({ os: 'linux', architecture: 'arm' })), [armv7]);
    assert.deepEqual(
      selectCandidates([amd64, armv6], one({ os: 'linux', architecture: 'arm', variant: 'v6' })),
      [armv6],
    );
    assert.throws(
      () =>
        selectCandidates([amd64, armv6], one({ os: 'linux', architecture: 'arm', variant: 'v7' }), {
          image: 'x',
        }),
      (error: unknown) =>
        isCustomsError(error, 'PLATFORM_NOT_FOUND') &&
        error.message === 'no image for platform linux/arm/v7; available: linux/amd64, linux/arm/v6' &&
        error.context.image === 'x',
    );
  });

  it('never picks an attestation, even one claiming linux/amd64', () => {
    assert.deepEqual(selectCandidates(all, one({ os: 'linux', architecture: 'amd64' })), [amd64]);
  });

  it('all: every runnable child once, attestations skipped', () => {
    assert.deepEqual(selectCandidates([...all, amd64], { kind: 'all' }), [amd64, arm64v8, armv6, armv7]);
  });

  it('lists what exists when nothing fits, and fails all when only attestations exist', () => {
    assert.throws(
      () => selectCandidates(all, one({ os: 'linux', architecture: 's390x' })),
      (error: unknown) =>
        isCustomsError(error, 'PLATFORM_NOT_FOUND') &&
        /available: linux\/amd64, linux\/arm64\/v8, linux\/arm\/v6, linux\/arm\/v7$/.test(error.message),
    );
    assert.throws(
      () => selectCandidates([attestationUnknown], { kind: 'all' }),
      (error: unknown) => isCustomsError(error, 'PLATFORM_NOT_FOUND'),
    );
  });
});
