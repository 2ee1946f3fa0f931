import { ecosystemEntry, ecosystemScheme, looseEcosystemEntry } from './ecosystem-registry.js';
import type { ParsedVersion, SchemeDefinition, SchemeId, VersionScheme } from './scheme.js';
import { apkDefinition } from './schemes/apk.js';
import { debDefinition } from './schemes/deb.js';
import { gemDefinition } from './schemes/gem.js';
import { goDefinition } from './schemes/go.js';
import { mavenDefinition } from './schemes/maven.js';
import { nugetDefinition } from './schemes/nuget.js';
import { packagistDefinition } from './schemes/packagist.js';
import { pep440Definition } from './schemes/pep440.js';
import { rpmDefinition } from './schemes/rpm.js';
import { semverDefinition, semverLooseDefinition } from './schemes/semver.js';

export { canonicalEcosystem, SUPPORTED_ECOSYSTEMS } from './ecosystem-registry.js';

/** Every scheme, loaded with this module: for callers that answer many ecosystems synchronously. */
const DEFINITIONS: Readonly<Record<SchemeId, SchemeDefinition<ParsedVersion>>> = {
  deb: debDefinition,
  apk: apkDefinition,
  rpm: rpmDefinition,
  semver: semverDefinition,
  go: goDefinition,
  pep440: pep440Definition,
  maven: mavenDefinition,
  gem: gemDefinition,
  nuget: nugetDefinition,
  packagist: packagistDefinition,
};

/** The version scheme of an OSV ecosystem; its errors name the ecosystem. One object per ecosystem. */
export function schemeForEcosystem(ecosystem: string): VersionScheme {
  const entry = ecosystemEntry(ecosystem);
  return ecosystemScheme(entry, DEFINITIONS[entry.scheme]);
}

/**
 * node-semver's loose mode for npm-style ecosystems (npm, crates.io, Hex): for versions published
 * before npm was strict ("1.2.3beta", "=v1.2.3"). Throws UnknownEcosystemError for any other.
 */
export function looseSchemeForEcosystem(ecosystem: string): VersionScheme {
  return ecosystemScheme(looseEcosystemEntry(ecosystem), semverLooseDefinition, 'loose');
}
