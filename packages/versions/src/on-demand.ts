import { ecosystemEntry, ecosystemScheme, looseEcosystemEntry } from './ecosystem-registry.js';
import type { ParsedVersion, SchemeDefinition, SchemeId, VersionScheme } from './scheme.js';

/*
 * `@customs/versions/on-demand`: the package for a process that needs one ecosystem's scheme
 * (`customs version`). The root entry loads all ten schemes at import; here a scheme module loads when
 * its ecosystem is first asked for. Scheme objects are the ones the root entry hands out.
 */

export type { Comparison, ParsedVersion, SchemeId, VersionScheme } from './scheme.js';
export { canonicalEcosystem, SUPPORTED_ECOSYSTEMS } from './ecosystem-registry.js';
export { satisfiesNpmRange, type NpmRangeOptions } from './npm-range.js';
export { parseRelation, relationHolds, type Relation } from './relation.js';

type Definition = SchemeDefinition<ParsedVersion>;

const LOADERS: Readonly<Record<SchemeId, () => Promise<Definition>>> = {
  deb: async () => (await import('./schemes/deb.js')).debDefinition,
  apk: async () => (await import('./schemes/apk.js')).apkDefinition,
  rpm: async () => (await import('./schemes/rpm.js')).rpmDefinition,
  semver: async () => (await import('./schemes/semver.js')).semverDefinition,
  go: async () => (await import('./schemes/go.js')).goDefinition,
  pep440: async () => (await import('./schemes/pep440.js')).pep440Definition,
  maven: async () => (await import('./schemes/maven.js')).mavenDefinition,
  gem: async () => (await import('./schemes/gem.js')).gemDefinition,
  nuget: async () => (await import('./schemes/nuget.js')).nugetDefinition,
  packagist: async () => (await import('./schemes/packagist.js')).packagistDefinition,
};

/** schemeForEcosystem, loading only that ecosystem's scheme; rejects with UnknownEcosystemError. */
export async function loadSchemeForEcosystem(ecosystem: string): Promise<VersionScheme> {
  const entry = ecosystemEntry(ecosystem);
  return ecosystemScheme(entry, await LOADERS[entry.scheme]());
}

/** looseSchemeForEcosystem, loading only the semver scheme; rejects with UnknownEcosystemError. */
export async function loadLooseSchemeForEcosystem(ecosystem: string): Promise<VersionScheme> {
  const entry = looseEcosystemEntry(ecosystem);
  return ecosystemScheme(entry, (await import('./schemes/semver.js')).semverLooseDefinition, 'loose');
}
