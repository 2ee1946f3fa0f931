import { compareIntegers, integerFromDigits, type Integer } from '../integer.js';
import { defineScheme, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';

/**
 * Packagist: what Composer does with a version. composer/semver's VersionParser::normalize first
 * (an optional `v`, one to four numbers padded to four, date versions, a stability suffix
 * alpha/beta/RC/patch with its numbers, `-dev`, branch aliases "1.x-dev"), then PHP's
 * version_compare on the normalized strings: dev < alpha < beta < RC < release < patch.
 * So "1.0" = "1.0.0" = "v1.0.0.0" and "1.0.0-b.2" = "1.0.0beta2", where OSV's raw version_compare
 * differs. Numbers are exact at any size (PHP clamps them at 2^63 - 1).
 *
 * Named branches ("dev-main") are not versions: Composer never lets one satisfy a version
 * constraint, so a branch equals only itself and ordering it against anything else is an error.
 */

/** `[._-]?(stability)(numbers)?` then `[.-]?dev`, as composer/semver's modifier pattern. */
const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*))?([.-]?dev)?';
// A major of at most five digits, never followed by a sixth (PCRE's possessive `\d{1,5}+`).
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(?!\\d)(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');
const ALIAS = /^([^,\s]+) +as +([^,\s]+)$/;
const STABILITY_FLAG = /@(?:stable|RC|beta|alpha|dev)$/i;
const BUILD_METADATA = /^([^,\s+]+)\+\S+$/;
const DEV_SUFFIX = /(.*?)[.-]?dev$/i;
const NUMERIC_BRANCH = /^v?(\d+)(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?(\.(?:\d+|[x*]))?$/i;
const DEFAULT_BRANCHES = new Set(['master', 'trunk', 'default']);

const STABILITY_NAMES: Readonly<Record<string, string>> = {
  a: 'alpha',
  b: 'beta',
  p: 'patch',
  pl: 'patch',
  rc: 'RC',
};

/** VersionParser::normalize: the normalized string, or null where Composer throws. */
export function normalizeComposerVersion(input: string): string | null {
  let version = input.trim();
  const alias = ALIAS.exec(version);
  if (alias?.[1] !== undefined) version = alias[1];
  const flag = STABILITY_FLAG.exec(version);
  if (flag) version = version.slice(0, version.length - flag[0].length);
  if (DEFAULT_BRANCHES.has(version)) version = `dev-${version}`;
  if (version.slice(0, 4).toLowerCase() === 'dev-') return `dev-${version.slice(4)}`;
  const build = BUILD_METADATA.exec(version);
  if (build?.[1] !== undefined) version = build[1];

  const classical = CLASSICAL.exec(version);
  if (classical) {
    const [, major = '', minor, patch, build4, ...modifier] = classical;
    return withModifier(`${major}${minor || '.0'}${patch || '.0'}${build4 || '.0'}`, modifier);
  }
  const date = DATE.exec(version);
  if (date) {
    const [, digits = '', ...modifier] = date;
    return withModifier(digits.replace(/\D/g, '.'), modifier);
  }
  const dev = DEV_SUFFIX.exec(version);
  if (dev) {
    const branch = normalizeComposerBranch(dev[1] ?? '');
    // "feature-dev" would be the branch "dev-feature": only numeric branches may end in -dev.
    if (!branch.includes('dev-')) return branch;
  }
  return null;
}

function withModifier(version: string, [stability, numbers, dev]: Array<string | undefined>): string {
  let result = version;
  if (stability) {
    if (stability === 'stable') return result;
    const lower = stability.toLowerCase();
    result += `-${STABILITY_NAMES[lower] ?? lower}${(numbers ?? '').replace(/^[.-]+/, '')}`;
  }
  if (dev) result += '-dev';
  return result;
}

/** VersionParser::normalizeBranch: "1.2.x" → "1.2.9999999.9999999-dev", anything else "dev-<name>". */
export function normalizeComposerBranch(name: string): string {
  const trimmed = name.trim();
  const match = NUMERIC_BRANCH.exec(trimmed);
  if (!match) return `dev-${trimmed}`;
  const parts = [match[1], match[2], match[3], match[4]].map((part) =>
    part === undefined ? '.x' : part.replace(/[*X]/g, 'x'),
  );
  return `${parts.join('').replace(/x/g, '9999999')}-dev`;
}

/** A normalized version as PHP's version_compare reads it: numbers, and words between them. */
type Token = Integer | string;

/**
 * php_version_compare's special forms: a word ranks by the first entry it starts with, a number
 * as "#"; words that start with none (Composer writes none after normalizing) rank below "dev".
 */
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_RANK = 4;

function rank(token: Token): number {
  if (typeof token !== 'string') return NUMBER_RANK;
  return SPECIAL_FORMS.find(([prefix]) => token.startsWith(prefix))?.[1] ?? -1;
}

/** php_canonicalize_version then split at its dots: runs of digits and runs of other characters. */
function tokens(normalized: string): Token[] {
  return (normalized.match(/[0-9]+|[^0-9.+_-]+/g) ?? []).map((run) =>
    /^[0-9]/.test(run) ? integerFromDigits(run) : run,
  );
}

function compareTokens(a: Token, b: Token): Comparison {
  if (typeof a !== 'string' && typeof b !== 'string') return compareIntegers(a, b);
  return compareIntegers(rank(a), rank(b));
}

/**
 * version_compare: token by token; when one side runs out, a number left on the other makes it
 * greater ("1.0.0.0.1" > "1.0.0.0"), a word is weighed against a number ("-dev" is below the
 * release, "-patch1" above it).
 */
function compareTokenLists(a: readonly Token[], b: readonly Token[]): Comparison {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const result = compareTokens(a[i] ?? '', b[i] ?? '');
    if (result !== 0) return result;
  }
  if (a.length === b.length) return 0;
  const longer = a.length > b.length ? a : b;
  const next = longer[shared] ?? '';
  const result: Comparison = typeof next !== 'string' ? 1 : compareTokenLists(longer.slice(shared), ['#']);
  return longer === a ? result : result === 1 ? -1 : result === -1 ? 1 : 0;
}

export class PackagistVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    /** VersionParser::normalize's result: "1.2.0.0-beta2", "dev-main". */
    readonly normalized: string,
    /** null for a named branch ("dev-main"), which has no order. */
    readonly tokens: readonly Token[] | null,
  ) {}
}

function parsePackagist(input: string): PackagistVersion | string {
  const normalized = normalizeComposerVersion(input);
  if (normalized === null)
    return 'not a Composer version (composer/semver VersionParser::normalize rejects it)';
  const branch = normalized.startsWith('dev-');
  return new PackagistVersion(input, normalized, branch ? null : tokens(normalized));
}

function comparePackagist(a: PackagistVersion, b: PackagistVersion): Comparison | string {
  if (a.tokens && b.tokens) return compareTokenLists(a.tokens, b.tokens);
  if (a.normalized === b.normalized) return 0;
  return `Composer does not order the branch ${JSON.stringify((a.tokens ? b : a).normalized)} against ${JSON.stringify((a.tokens ? a : b).normalized)}`;
}

export const packagistDefinition: SchemeDefinition<PackagistVersion> = {
  id: 'packagist',
  parse: parsePackagist,
  owns: (value): value is PackagistVersion => value instanceof PackagistVersion,
  compare: comparePackagist,
};

export const packagist = defineScheme(packagistDefinition);
