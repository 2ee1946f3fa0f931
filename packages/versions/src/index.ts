export type { Comparison, ParsedVersion, SchemeId, VersionScheme } from './scheme.js';
export { SCHEME_IDS } from './scheme.js';
export {
  InvalidRangeError,
  InvalidVersionError,
  UnknownEcosystemError,
  VersionSchemeMismatchError,
} from './errors.js';
export {
  canonicalEcosystem,
  looseSchemeForEcosystem,
  schemeForEcosystem,
  SUPPORTED_ECOSYSTEMS,
} from './ecosystems.js';
export { satisfiesNpmRange, type NpmRangeOptions } from './npm-range.js';
export { parseRelation, relationHolds, type Relation } from './relation.js';
export { apk } from './schemes/apk.js';
export { deb } from './schemes/deb.js';
export { gem } from './schemes/gem.js';
export { go } from './schemes/go.js';
export { maven } from './schemes/maven.js';
export { nuget } from './schemes/nuget.js';
export { packagist } from './schemes/packagist.js';
export { normalizePypiName, pep440 } from './schemes/pep440.js';
export { rpm } from './schemes/rpm.js';
export { semver, semverLoose } from './schemes/semver.js';
