import { createRequire } from 'node:module';
import type parseSemverFunction from 'semver/functions/parse.js';
import { integerFromDigits } from '../integer.js';
import { defineScheme, type SchemeDefinition } from '../scheme.js';
import { compareSemver, prereleaseIdentifiers, SemverVersion } from './semver-precedence.js';

const require = createRequire(import.meta.url);
let nodeSemverParse: typeof parseSemverFunction | null = null;

/** node-semver's parser (one module, not its index), loaded on the first loose version, not with every command. */
function parseSemver(
  ...args: Parameters<typeof parseSemverFunction>
): ReturnType<typeof parseSemverFunction> {
  nodeSemverParse ??= require('semver/functions/parse.js') as typeof parseSemverFunction;
  return nodeSemverParse(...args);
}

/**
 * npm, crates.io and Hex: SemVer 2.0.0. Strict parsing accepts what node-semver accepts strictly
 * (an optional leading `v`, surrounding whitespace) but keeps numbers exact at any size, where
 * node-semver stops at 2^53 - 1 and calls larger ones invalid. `semverLoose` is node-semver's
 * loose mode (`=v 1.2.3`, `1.2.3beta`, leading zeros), for versions written before npm was strict,
 * with numbers exact at any size too.
 */

const NUMBER = '0|[1-9][0-9]*';
const IDENTIFIER = '0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*';
const STRICT = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})` +
    `(?:-((?:${IDENTIFIER})(?:\\.(?:${IDENTIFIER}))*))?` +
    `(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

function parseStrict(input: string): SemverVersion | string {
  const match = STRICT.exec(input.trim());
  if (!match) return 'not a SemVer 2.0.0 version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])';
  return versionOf(input, match);
}

/** The parts of a version node-semver's loose grammar accepted (`=v 1.2.3beta.1+build`). */
const LOOSE_PARTS =
  /^[v=\s]*([0-9]+)\.([0-9]+)\.([0-9]+)(?:-?([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+.*)?$/;
const LONG_NUMBER = /[0-9]{16,}/g;

function parseLoose(input: string): SemverVersion | string {
  // node-semver refuses a major, minor or patch above 2^53 - 1. Its grammar decides what is a
  // version (long numbers stood in for by 0); the numbers are then read exactly from the input.
  if (!parseSemver(input.replace(LONG_NUMBER, '0'), { loose: true }))
    return 'not a version, even in node-semver loose mode';
  const match = LOOSE_PARTS.exec(input.trim());
  if (!match) return 'not a version, even in node-semver loose mode';
  return versionOf(input, match);
}

/** The version a grammar's match names: major, minor and patch read exactly, at any size. */
function versionOf(input: string, match: RegExpExecArray): SemverVersion {
  const [, major = '', minor = '', patch = '', prerelease] = match;
  return new SemverVersion(
    input,
    integerFromDigits(major),
    integerFromDigits(minor),
    integerFromDigits(patch),
    prereleaseIdentifiers(prerelease),
  );
}

const owns = (value: unknown): value is SemverVersion => value instanceof SemverVersion;

export const semverDefinition: SchemeDefinition<SemverVersion> = {
  id: 'semver',
  parse: parseStrict,
  owns,
  compare: compareSemver,
};

export const semverLooseDefinition: SchemeDefinition<SemverVersion> = {
  id: 'semver',
  parse: parseLoose,
  owns,
  compare: compareSemver,
};

export const semver = defineScheme(semverDefinition);
export const semverLoose = defineScheme(semverLooseDefinition, 'semver (loose)');
