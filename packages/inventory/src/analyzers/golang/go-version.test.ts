import assert from 'node:assert/strict';
import test from 'node:test';
import { stdlibVersion, versionFromLdflags } from './go-version.js';

test('toolchain versions become the semver Go advisories use for stdlib', () => {
  const cases: Array<[string, string | null]> = [
    ['go1.19.8', 'v1.19.8'],
    ['go1.21', 'v1.21.0'],
    ['go1.21.0', 'v1.21.0'],
    ['go1.21rc2', 'v1.21.0-rc.2'],
    ['go1.18beta1', 'v1.18.0-beta.1'],
    ['go1', 'v1.0.0'],
    ['go1.22.1 X:boringcrypto', 'v1.22.1'],
    ['go1.23.1 X:nocoverageredesign', 'v1.23.1'],
    // Google's internal toolchain as found in google-cloud-sdk binaries on this machine
    ['go1.22-20231128-RC02 cl/586117301 +6111acc8e6 X:fieldtrack,boringcrypto', 'v1.22.0'],
    ['devel go1.22-a1b2c3d Tue Jan 1 00:00:00 2024 +0000', null],
    ['gccgo', null],
    ['go1.19.8x', null],
  ];
  for (const [input, expected] of cases) assert.equal(stdlibVersion(input), expected, input);
});

test('a main-module version stamped with -ldflags -X is read only when it is unambiguous semver', () => {
  assert.equal(versionFromLdflags('-s -w -X main.version=v1.2.3'), 'v1.2.3');
  assert.equal(
    versionFromLdflags('-X github.com/acme/tool/internal/build.Version=2.0.1-rc.1'),
    'v2.0.1-rc.1',
  );
  assert.equal(versionFromLdflags('-X=main.gitVersion=v0.4.0 -X main.commit=abc123'), 'v0.4.0');
  assert.equal(versionFromLdflags("-X 'main.version=v1.0.0'"), 'v1.0.0');
  assert.equal(versionFromLdflags('-X main.version=dev'), null, 'not semver');
  assert.equal(versionFromLdflags('-X main.commit=1.2.3'), null, 'not a version variable');
  assert.equal(
    versionFromLdflags('-X main.version=v1.0.0 -X pkg.Version=v2.0.0'),
    null,
    'two different stamps',
  );
  assert.equal(versionFromLdflags('-s -w'), null);
});
