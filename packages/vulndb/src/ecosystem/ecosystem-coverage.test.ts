import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PACKAGE_TYPES, toPurl, type PackageType } from '@customs/inventory';
import { schemeForEcosystem } from '@customs/versions';
import { DISTRO_ECOSYSTEMS, LANGUAGE_ECOSYSTEMS } from './distro-ecosystem.js';
import { canonicalBase } from './ecosystem-name.js';

/**
 * Every package type an analyzer can emit (PACKAGE_TYPES: FoundPackage.type admits no other) must
 * reach advisories: an advisory ecosystem from LANGUAGE_ECOSYSTEMS or DISTRO_ECOSYSTEMS, a version
 * scheme for that ecosystem, and a purl. A gap here means every package of that type lands in
 * "unmatched" (as Composer's did while Packagist had no scheme).
 */
function ecosystemsOf(type: PackageType): string[] {
  const language = LANGUAGE_ECOSYSTEMS[type];
  const distros = [...DISTRO_ECOSYSTEMS.values()]
    .filter((entry) => entry.type === type)
    .map((entry) => entry.base);
  return [...new Set([...(language ? [language] : []), ...distros])];
}

test('every package type maps to at least one advisory ecosystem, but runtimes found by their binary', () => {
  // OSV has no ecosystem for the Node.js, CPython or OpenJDK runtimes (docs/decisions.md): the matcher
  // lists `generic` packages as unmatched, saying so.
  assert.deepEqual(
    PACKAGE_TYPES.filter((type) => ecosystemsOf(type).length === 0),
    ['generic'],
  );
});

test('every advisory ecosystem a package can land in has a version scheme', () => {
  const missing: string[] = [];
  for (const type of PACKAGE_TYPES) {
    for (const ecosystem of ecosystemsOf(type)) {
      try {
        schemeForEcosystem(ecosystem);
      } catch (error) {
        missing.push(`${type} → ${ecosystem}: ${String(error)}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('every advisory ecosystem is spelled as OSV spells it, so imported records are found', () => {
  for (const type of PACKAGE_TYPES) {
    for (const ecosystem of ecosystemsOf(type)) assert.equal(canonicalBase(ecosystem), ecosystem, type);
  }
});

test('every package type makes a purl of that type', () => {
  for (const type of PACKAGE_TYPES) {
    // Maven coordinates are group:artifact; every other name here may carry a vendor/scope part.
    const name = type === 'maven' ? 'vendor:name' : 'vendor/name';
    const purl = toPurl({ type, name, version: '1.0.0', path: 'x' }, { id: 'debian', versionId: '12' });
    assert.equal(/^pkg:([a-z0-9.+-]+)\//.exec(purl)?.[1], type, purl);
  }
});
