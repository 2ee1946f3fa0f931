import { compareIntegers, compareStrings, integerFromDigits, type Integer } from '../integer.js';
import type { Comparison, ParsedVersion } from '../scheme.js';

/** A prerelease identifier: numeric ones are numbers, the rest keep their text. */
export type Identifier = Integer | string;

/**
 * A SemVer 2.0.0 version reduced to what decides precedence (build metadata never does).
 * Shared by the npm/crates.io/Hex and Go schemes, which differ only in what they accept.
 */
export class SemverVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    readonly major: Integer,
    readonly minor: Integer,
    readonly patch: Integer,
    readonly prerelease: readonly Identifier[],
  ) {}
}

const NUMERIC = /^[0-9]+$/;

/** Splits a dot-separated prerelease; numeric identifiers become exact integers. */
export function prereleaseIdentifiers(prerelease: string | undefined): Identifier[] {
  if (!prerelease) return [];
  return prerelease.split('.').map((part) => (NUMERIC.test(part) ? integerFromDigits(part) : part));
}

function compareIdentifiers(a: Identifier, b: Identifier): Comparison {
  const aNumeric = typeof a !== 'string';
  const bNumeric = typeof b !== 'string';
  if (aNumeric && bNumeric) return compareIntegers(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return compareStrings(String(a), String(b));
}

/** SemVer 2.0.0 §11: numeric core, then a release above its prereleases, then identifier by identifier. */
export function compareSemver(a: SemverVersion, b: SemverVersion): Comparison {
  const core =
    compareIntegers(a.major, b.major) ||
    compareIntegers(a.minor, b.minor) ||
    compareIntegers(a.patch, b.patch);
  if (core !== 0) return core;
  const x = a.prerelease;
  const y = b.prerelease;
  if (x.length === 0 || y.length === 0) return x.length === y.length ? 0 : x.length === 0 ? 1 : -1;
  const shared = Math.min(x.length, y.length);
  for (let i = 0; i < shared; i++) {
    const result = compareIdentifiers(x[i] ?? '', y[i] ?? '');
    if (result !== 0) return result;
  }
  return compareIntegers(x.length, y.length);
}
