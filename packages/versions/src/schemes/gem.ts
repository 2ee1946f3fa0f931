import { compareIntegers, compareStrings, integerFromDigits, type Integer } from '../integer.js';
import { defineScheme, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';

/**
 * RubyGems: Gem::Version. Segments are runs of digits or letters ("1.0.a10" → 1, 0, "a", 10); a
 * letter segment makes a prerelease, which sorts before the release ("1.0.a" < "1.0"). A "-" reads
 * as ".pre." as in Gem::Version. Trailing zeros of the numeric part and of the prerelease part are
 * dropped before comparing, so "1.0" = "1" and "1.0.a.0" = "1.a".
 * `isValid` is Gem::Version.correct?; ordering also accepts letters glued to the first number
 * ("1beta", which Gem::Version refuses to build but OSV orders as 1.beta).
 */

const PATTERN = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const ORDERABLE = /^[0-9][0-9A-Za-z]*(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

type Segment = Integer | string;

export class GemVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    readonly segments: readonly Segment[],
  ) {}
}

function withoutTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === 0) end--;
  return segments.slice(0, end);
}

/** Gem::Version#canonical_segments. */
function canonicalSegments(version: string): Segment[] {
  const segments: Segment[] = (version.replaceAll('-', '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((part) =>
    /^[0-9]/.test(part) ? integerFromDigits(part) : part,
  );
  const firstLetters = segments.findIndex((segment) => typeof segment === 'string');
  const split = firstLetters === -1 ? segments.length : firstLetters;
  return [...withoutTrailingZeros(segments.slice(0, split)), ...withoutTrailingZeros(segments.slice(split))];
}

function parseGem(input: string): GemVersion | string {
  const version = input.trim();
  if (version === '') return 'version string is empty';
  if (!ORDERABLE.test(version))
    return 'not a RubyGems version (digits, then dot-separated letters and digits)';
  return new GemVersion(input, canonicalSegments(version));
}

/** Gem::Version#<=>: missing segments are 0, letters sort before numbers. */
function compareGem(a: GemVersion, b: GemVersion): Comparison {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const x = a.segments[i] ?? 0;
    const y = b.segments[i] ?? 0;
    if (x === y) continue;
    const xText = typeof x === 'string';
    const yText = typeof y === 'string';
    if (xText !== yText) return xText ? -1 : 1;
    return xText || yText ? compareStrings(String(x), String(y)) : compareIntegers(x, y);
  }
  return 0;
}

export const gemDefinition: SchemeDefinition<GemVersion> = {
  id: 'gem',
  parse: parseGem,
  owns: (value): value is GemVersion => value instanceof GemVersion,
  compare: compareGem,
  isValid: (version) => PATTERN.test(version.trim()),
};

export const gem = defineScheme(gemDefinition);
