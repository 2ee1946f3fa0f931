import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCustomsError } from '@customs/errors';
import {
  canonicalEcosystem,
  looseSchemeForEcosystem,
  schemeForEcosystem,
  SUPPORTED_ECOSYSTEMS,
} from './ecosystems.js';

test('OSV ecosystem names map to their schemes, prefixed forms and any case included', () => {
  const expected: Record<string, string> = {
    Debian: 'deb',
    'Debian:12': 'deb',
    'Ubuntu:22.04:LTS': 'deb',
    'Ubuntu:Pro:18.04:LTS': 'deb',
    'Alpine:v3.19': 'apk',
    Wolfi: 'apk',
    Chainguard: 'apk',
    'Red Hat:enterprise_linux:9::appstream': 'rpm',
    'Rocky Linux:9': 'rpm',
    'AlmaLinux:8': 'rpm',
    'SUSE:Linux Enterprise Server 15 SP5': 'rpm',
    'openSUSE:Leap 15.5': 'rpm',
    'Azure Linux:3': 'rpm',
    'Photon OS:5.0': 'rpm',
    'Mageia:9': 'rpm',
    'openEuler:22.03-LTS': 'rpm',
    PyPI: 'pep440',
    pypi: 'pep440',
    Maven: 'maven',
    RubyGems: 'gem',
    NuGet: 'nuget',
    npm: 'semver',
    NPM: 'semver',
    'crates.io': 'semver',
    Hex: 'semver',
    Go: 'go',
    go: 'go',
    Packagist: 'packagist',
    packagist: 'packagist',
  };
  for (const [ecosystem, scheme] of Object.entries(expected)) {
    assert.equal(schemeForEcosystem(ecosystem).id, scheme, ecosystem);
  }
  assert.equal(canonicalEcosystem('debian:11'), 'Debian');
  assert.equal(canonicalEcosystem('red hat'), 'Red Hat');
  assert.equal(
    schemeForEcosystem('Debian'),
    schemeForEcosystem('debian:12'),
    'one scheme object per ecosystem',
  );
});

test('an unknown ecosystem is UNKNOWN_ECOSYSTEM and lists the supported names', () => {
  assert.throws(
    () => schemeForEcosystem('Pub'),
    (error: unknown) =>
      isCustomsError(error, 'UNKNOWN_ECOSYSTEM') &&
      error.message === 'unknown ecosystem "Pub"' &&
      SUPPORTED_ECOSYSTEMS.every((name) => error.hint?.includes(name)),
  );
  assert.throws(
    () => looseSchemeForEcosystem('Debian'),
    (error: unknown) => isCustomsError(error, 'UNKNOWN_ECOSYSTEM'),
  );
});

test('an invalid version is INVALID_VERSION naming ecosystem and version', () => {
  assert.throws(
    () => schemeForEcosystem('Ubuntu:22.04:LTS').compare('1:', '1.0'),
    (error: unknown) =>
      isCustomsError(error, 'INVALID_VERSION') &&
      error.message === 'invalid Ubuntu version "1:": nothing after colon in version number',
  );
});

test('parse once, compare many; a value from another scheme is VERSION_SCHEME_MISMATCH', () => {
  const debian = schemeForEcosystem('Debian');
  const installed = debian.parse('1:2.30-1+deb12u1');
  const events = ['0', '1:2.30-1', '1:2.30-1+deb12u2', '2.31-1'].map((event) => debian.parse(event));
  assert.deepEqual(
    events.map((event) => debian.compare(installed, event)),
    [1, 1, -1, 1],
  );
  assert.equal(debian.compare(installed, '1:2.30-1+deb12u1'), 0);
  const npmValue = schemeForEcosystem('npm').parse('1.2.3');
  assert.throws(
    () => debian.compare(installed, npmValue),
    (error: unknown) => isCustomsError(error, 'VERSION_SCHEME_MISMATCH'),
  );
});
