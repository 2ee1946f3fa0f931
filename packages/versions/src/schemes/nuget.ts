import { compareIntegers, compareStrings, integerFromDigits, type Integer } from '../integer.js';
import { defineScheme, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';

/**
 * NuGet: NuGet.Versioning's NuGetVersion. One to four numeric parts (missing ones are 0, leading
 * zeros allowed: "1.0.01" = "1.0.1.0"), then a SemVer 2.0.0 prerelease compared without regard to
 * case, then build metadata that never counts. No `v` prefix: NuGet rejects it. Numbers have no
 * size limit here (NuGet stops at 2^31; OSV's vectors go beyond).
 */

const PATTERN =
  /^([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

type Label = Integer | string;

export class NugetVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    readonly parts: readonly [Integer, Integer, Integer, Integer],
    /** Upper-cased, as NuGet's OrdinalIgnoreCase compares; numeric labels as numbers. */
    readonly release: readonly Label[],
  ) {}
}

function parseNuget(input: string): NugetVersion | string {
  const match = PATTERN.exec(input.trim());
  if (!match) return 'not a NuGet version (1 to 4 numbers, then -prerelease and +metadata)';
  const [, major = '0', minor = '0', patch = '0', revision = '0', prerelease] = match;
  const release = prerelease
    ? prerelease
        .split('.')
        .map((label) => (/^[0-9]+$/.test(label) ? integerFromDigits(label) : label.toUpperCase()))
    : [];
  const parts: [Integer, Integer, Integer, Integer] = [
    integerFromDigits(major),
    integerFromDigits(minor),
    integerFromDigits(patch),
    integerFromDigits(revision),
  ];
  return new NugetVersion(input, parts, release);
}

function compareLabels(a: Label, b: Label): Comparison {
  const aNumeric = typeof a !== 'string';
  const bNumeric = typeof b !== 'string';
  if (aNumeric && bNumeric) return compareIntegers(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return compareStrings(String(a), String(b));
}

function compareNuget(a: NugetVersion, b: NugetVersion): Comparison {
  for (let i = 0; i < 4; i++) {
    const result = compareIntegers(a.parts[i] ?? 0, b.parts[i] ?? 0);
    if (result !== 0) return result;
  }
  const x = a.release;
  const y = b.release;
  if (x.length === 0 || y.length === 0) return x.length === y.length ? 0 : x.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const result = compareLabels(x[i] ?? '', y[i] ?? '');
    if (result !== 0) return result;
  }
  return compareIntegers(x.length, y.length);
}

export const nugetDefinition: SchemeDefinition<NugetVersion> = {
  id: 'nuget',
  parse: parseNuget,
  owns: (value): value is NugetVersion => value instanceof NugetVersion,
  compare: compareNuget,
};

export const nuget = defineScheme(nugetDefinition);
