import { InvalidVersionError, VersionSchemeMismatchError } from './errors.js';

export const SCHEME_IDS = [
  'deb',
  'apk',
  'rpm',
  'semver',
  'go',
  'pep440',
  'maven',
  'gem',
  'nuget',
  'packagist',
] as const;
export type SchemeId = (typeof SCHEME_IDS)[number];

export type Comparison = -1 | 0 | 1;

/** A version parsed by one scheme. Opaque: only the scheme that made it can compare it. */
export interface ParsedVersion {
  /** The string it was parsed from, unchanged. */
  readonly original: string;
}

/**
 * One version ordering. Parse once, compare many: `compare` takes strings or values from `parse`,
 * so a matcher parses the installed version once and compares it against thousands of range events.
 * A string the scheme cannot order is never placed below or above anything: `parse` and `compare`
 * throw InvalidVersionError (code INVALID_VERSION).
 */
export interface VersionScheme {
  readonly id: SchemeId;
  /** The ecosystem named in errors ("Debian", "npm"); the scheme id when used on its own. */
  readonly ecosystem: string;
  parse(version: string): ParsedVersion;
  /**
   * True for a version the ecosystem's own tooling accepts for a package. For most schemes this is
   * "parse does not throw"; apk and PyPI also order strings their tools would not publish (see there).
   */
  isValid(version: string): boolean;
  compare(a: string | ParsedVersion, b: string | ParsedVersion): Comparison;
  /**
   * apk only: like compare, but `b` matches every version it is a token-wise prefix of
   * (apk-tools `~`: "3.6.9" ~ "3.6"). Other schemes leave it undefined.
   */
  compareFuzzy?(a: string | ParsedVersion, b: string | ParsedVersion): Comparison;
}

/**
 * What a scheme module provides. `parse` returns the reason as a string instead of throwing, so the
 * hot path needs no try/catch and `isValid` costs one parse.
 */
export interface SchemeDefinition<P extends ParsedVersion> {
  id: SchemeId;
  parse(version: string): P | string;
  /** True for values this scheme's parse made: the guard that keeps schemes from comparing each other's values. */
  owns(value: ParsedVersion): value is P;
  /** A string result means the scheme cannot order these two (apk: both break the grammar at the same place). */
  compare(a: P, b: P): Comparison | string;
  isValid?(version: string): boolean;
  compareFuzzy?(a: P, b: P): Comparison | string;
}

/** Builds the public scheme object; `ecosystem` only changes how errors name it. */
export function defineScheme<P extends ParsedVersion>(
  definition: SchemeDefinition<P>,
  ecosystem: string = definition.id,
): VersionScheme {
  const parse = (version: string): P => {
    const parsed = definition.parse(version);
    if (typeof parsed === 'string') throw new InvalidVersionError(ecosystem, version, parsed);
    return parsed;
  };
  const resolve = (value: string | ParsedVersion): P => {
    if (typeof value === 'string') return parse(value);
    if (!definition.owns(value)) throw new VersionSchemeMismatchError(definition.id, value.original);
    return value;
  };
  const ordered = (a: P, result: Comparison | string): Comparison => {
    if (typeof result === 'string') throw new InvalidVersionError(ecosystem, a.original, result);
    return result;
  };
  const fuzzy = definition.compareFuzzy;
  return {
    id: definition.id,
    ecosystem,
    parse,
    isValid: definition.isValid ?? ((version) => typeof definition.parse(version) !== 'string'),
    compare: (a, b) => {
      const x = resolve(a);
      return ordered(x, definition.compare(x, resolve(b)));
    },
    ...(fuzzy && {
      compareFuzzy: (a, b) => {
        const x = resolve(a);
        return ordered(x, fuzzy(x, resolve(b)));
      },
    }),
  };
}

/** Maps a number's sign to a Comparison. */
export function sign(value: number): Comparison {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}
