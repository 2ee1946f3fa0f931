import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import {
  formatPlatform,
  normalizePlatform,
  parsePlatform,
  platformAccepts,
  platformsEqual,
} from './platform.js';

describe('platforms', () => {
  it('parses and formats os/arch[/variant]', () => {
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.equal(formatPlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' }), 'linux/arm64/v8');
    for (const bad of ['linux', 'linux/', '/amd64', 'linux/arm/', 'a/b/c/d']) {
      assert.throws(
        () => parsePlatform(bad),
        (error: unknown) => isCustomsError(error, 'INVALID_OPTION'),
      );
    }
  });

  it('normalises like containerd', () => {
    assert.deepEqual(normalizePlatform({ os: 'Linux', architecture: 'x86_64' }), {
      os: 'linux',
      architecture: 'amd64',
    });
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'aarch64' }), {
      os: 'linux',
      architecture: 'arm64',
    });
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'arm64', variant: 'v8' }), {
      os: 'linux',
      architecture: 'arm64',
    });
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'arm' }), {
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
    });
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'armel' }), {
      os: 'linux',
      architecture: 'arm',
      variant: 'v6',
    });
    assert.deepEqual(normalizePlatform({ os: 'linux', architecture: 'amd64', variant: 'v1' }), {
      os: 'linux',
      architecture: 'amd64',
    });
  });

  it('treats arm64 and arm64/v8 as one platform, but not arm/v6 and arm/v7', () => {
    assert.equal(
      platformsEqual(
        { os: 'linux', architecture: 'arm64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ),
      true,
    );
    assert.equal(
      platformsEqual(
        { os: 'linux', architecture: 'arm' },
        { os: 'linux', architecture: 'arm', variant: 'v7' },
      ),
      true,
    );
    assert.equal(
      platformsEqual(
        { os: 'linux', architecture: 'arm', variant: 'v7' },
        { os: 'linux', architecture: 'arm', variant: 'v6' },
      ),
      false,
    );
    assert.equal(
      platformAccepts(
        { os: 'linux', architecture: 'arm', variant: 'v7' },
        { os: 'linux', architecture: 'arm', variant: 'v6' },
      ),
      false,
    );
    assert.equal(
      platformAccepts(
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'amd64', variant: 'v3' },
      ),
      true,
    );
    assert.equal(
      platformAccepts(
        { os: 'linux', architecture: 'amd64', variant: 'v3' },
        { os: 'linux', architecture: 'amd64' },
      ),
      false,
    );
    assert.equal(
      platformAccepts({ os: 'linux', architecture: 'amd64' }, { os: 'windows', architecture: 'amd64' }),
      false,
    );
  });
});
