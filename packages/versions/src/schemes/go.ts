import { integerFromDigits } from '../integer.js';
import { defineScheme, type SchemeDefinition } from '../scheme.js';
import { compareSemver, prereleaseIdentifiers, SemverVersion } from './semver-precedence.js';

/**
 * Go modules: semantic versions as golang.org/x/mod/semver reads them. Go writes the `v`
 * (`v1.2.3`, `v2.0.0+incompatible`), OSV's Go records drop it (`1.2.3`): both are accepted.
 * Pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) are prereleases and order as such;
 * `+incompatible` is build metadata and never changes the order. Like x/mod, `v1` and `v1.2` are
 * shorthands for `v1.0.0` and `v1.2.0`; numbers have no size limit.
 */

const NUMBER = '0|[1-9][0-9]*';
const IDENTIFIER = '0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*';
const FULL = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})` +
    `(?:-((?:${IDENTIFIER})(?:\\.(?:${IDENTIFIER}))*))?` +
    `(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);
const SHORTHAND = new RegExp(`^v?(${NUMBER})(?:\\.(${NUMBER}))?$`);

function parseGo(input: string): SemverVersion | string {
  const full = FULL.exec(input);
  if (full) {
    const [, major = '', minor = '', patch = '', prerelease] = full;
    return new SemverVersion(
      input,
      integerFromDigits(major),
      integerFromDigits(minor),
      integerFromDigits(patch),
      prereleaseIdentifiers(prerelease),
    );
  }
  const short = SHORTHAND.exec(input);
  if (short) {
    const [, major = '', minor = '0'] = short;
    return new SemverVersion(input, integerFromDigits(major), integerFromDigits(minor), 0, []);
  }
  return 'not a Go module version (vMAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])';
}

export const goDefinition: SchemeDefinition<SemverVersion> = {
  id: 'go',
  parse: parseGo,
  owns: (value): value is SemverVersion => value instanceof SemverVersion,
  compare: compareSemver,
};

export const go = defineScheme(goDefinition);
