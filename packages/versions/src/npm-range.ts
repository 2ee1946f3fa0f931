import { createRequire } from 'node:module';
import type parseSemver from 'semver/functions/parse.js';
import type satisfies from 'semver/functions/satisfies.js';
import type validRange from 'semver/ranges/valid.js';
import { InvalidRangeError, InvalidVersionError } from './errors.js';

interface NodeSemverRanges {
  parse: typeof parseSemver;
  satisfies: typeof satisfies;
  validRange: typeof validRange;
}

const require = createRequire(import.meta.url);
let nodeSemver: NodeSemverRanges | null = null;

/**
 * node-semver's range modules, loaded on the first range question rather than at import: every
 * command imports this package, few ask about npm ranges, and the range grammar is the costliest part
 * of node-semver to load.
 */
function ranges(): NodeSemverRanges {
  nodeSemver ??= {
    parse: require('semver/functions/parse.js') as typeof parseSemver,
    satisfies: require('semver/functions/satisfies.js') as typeof satisfies,
    validRange: require('semver/ranges/valid.js') as typeof validRange,
  };
  return nodeSemver;
}

export interface NpmRangeOptions {
  /** node-semver loose mode: "1.2.3beta", "=v1.2.3", "~ 1.0.3" are read as npm once did. */
  loose?: boolean;
  /** Let prereleases satisfy ranges that do not name their major.minor.patch. */
  includePrerelease?: boolean;
}

/**
 * True when `version` satisfies the npm range (`^1.2.3`, `>=1 <2`, `1.x || 2.x`, `1.0.0 - 2.0.0`),
 * with node-semver's semantics, the reference for npm ranges. Unlike node-semver, which answers
 * false for both, an invalid version or range is an error, never a silent "no".
 */
export function satisfiesNpmRange(version: string, range: string, options: NpmRangeOptions = {}): boolean {
  const flags = { loose: options.loose === true, includePrerelease: options.includePrerelease === true };
  const semver = ranges();
  const parsedVersion = semver.parse(version, flags);
  if (!parsedVersion)
    throw new InvalidVersionError(flags.loose ? 'npm (loose)' : 'npm', version, 'not a SemVer version');
  if (semver.validRange(range, flags) === null) throw new InvalidRangeError('npm', range);
  return semver.satisfies(parsedVersion, range, flags);
}
