import semverLibrary from 'semver';
import { InvalidRangeError, InvalidVersionError } from './errors.js';

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
  const parsedVersion = semverLibrary.parse(version, flags);
  if (!parsedVersion)
    throw new InvalidVersionError(flags.loose ? 'npm (loose)' : 'npm', version, 'not a SemVer version');
  if (semverLibrary.validRange(range, flags) === null) throw new InvalidRangeError('npm', range);
  return semverLibrary.satisfies(parsedVersion, range, flags);
}
