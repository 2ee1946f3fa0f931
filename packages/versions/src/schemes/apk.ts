import { compareIntegers, compareStrings, integerFromDigits, type Integer } from '../integer.js';
import { defineScheme, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';

/**
 * Alpine, Wolfi and Chainguard: apk-tools v3 (src/version.c), the grammar
 * `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`, `isValid` being apk's own check.
 *
 * Ordering is apk-tools v3's token-by-token comparison, which (like `apk version -t`) also orders
 * strings with an invalid tail: it stops at the first token that breaks the grammar, and such a
 * token sorts below any valid one ("1.2.0D" < "1.2.0d"). Two deliberate additions:
 * - digits right after the letter ("6.0.2p1-r3") continue the version as a number, as apk-tools
 *   2.x (Alpine 3.0 to 3.22) reads them. v3 calls that invalid and every such pair equal, but
 *   Alpine's security database still carries these versions.
 * - where both versions break the grammar at the same token, v3 calls them equal whatever follows;
 *   Customs throws InvalidVersionError instead of guessing. So does any string not starting
 *   with a digit (apk-tools calls all of those equal).
 */

// Token kinds in apk-tools order: the order itself decides comparisons when kinds differ.
const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;
const INVALID = 8;

// Suffix weights: pre-release suffixes sort below "no suffix", post-release ones above.
const SUFFIX_NONE = 5;
const SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['alpha', 1],
  ['beta', 2],
  ['pre', 3],
  ['rc', 4],
  ['cvs', 6],
  ['svn', 7],
  ['git', 8],
  ['hg', 9],
  ['p', 10],
]);

interface Token {
  kind: number;
  /** The token's text: digits, the letter, the suffix name or the hash. */
  text: string;
  /** Digits as a number; the suffix weight for SUFFIX. */
  value: Integer;
}

export class ApkVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    /** Ends with one END or INVALID token. */
    readonly tokens: readonly Token[],
  ) {}
}

const DIGITS = /[0-9]*/y;
const LOWER = /[a-z]*/y;
const HEX = /[0-9a-f]*/y;

function span(pattern: RegExp, text: string, from: number): string {
  pattern.lastIndex = from;
  return pattern.exec(text)?.[0] ?? '';
}

function digitsToken(kind: number, digits: string): Token {
  return digits === ''
    ? { kind: INVALID, text: '', value: 0 }
    : { kind, text: digits, value: integerFromDigits(digits) };
}

/**
 * The token at `at`, given the previous token kind; returns it with the position after it.
 * `lenient` lets digits follow the letter, as apk-tools 2.x did.
 */
function nextToken(text: string, at: number, previous: number, lenient: boolean): [Token, number] {
  const invalid: [Token, number] = [{ kind: INVALID, text: '', value: 0 }, at];
  if (at >= text.length) return [{ kind: END, text: '', value: 0 }, at];
  const c = text[at] ?? '';
  if (c >= 'a' && c <= 'z') {
    return previous > DIGIT ? invalid : [{ kind: LETTER, text: c, value: c.charCodeAt(0) }, at + 1];
  }
  if (c === '.' || (c >= '0' && c <= '9')) {
    if (previous > SUFFIX || (c === '.' && previous > DIGIT)) return invalid;
    const start = c === '.' ? at + 1 : at;
    const digits = span(DIGITS, text, start);
    const afterLetter = lenient && previous === LETTER;
    const kind = previous === SUFFIX ? SUFFIX_NO : previous <= DIGIT || afterLetter ? DIGIT : INVALID;
    return kind === INVALID ? invalid : [digitsToken(kind, digits), start + digits.length];
  }
  if (c === '_') {
    if (previous > SUFFIX_NO) return invalid;
    const name = span(LOWER, text, at + 1);
    const weight = SUFFIXES.get(name);
    return weight === undefined
      ? invalid
      : [{ kind: SUFFIX, text: name, value: weight }, at + 1 + name.length];
  }
  if (c === '~') {
    if (previous >= COMMIT_HASH) return invalid;
    const hash = span(HEX, text, at + 1);
    return hash === '' ? invalid : [{ kind: COMMIT_HASH, text: hash, value: 0 }, at + 1 + hash.length];
  }
  if (c === '-') {
    if (previous >= REVISION_NO || text[at + 1] !== 'r') return invalid;
    const digits = span(DIGITS, text, at + 2);
    return [digitsToken(REVISION_NO, digits), at + 2 + digits.length];
  }
  return invalid;
}

function tokenize(text: string, lenient: boolean): Token[] {
  const first = span(DIGITS, text, 0);
  const tokens = [digitsToken(INITIAL_DIGIT, first)];
  let at = first.length;
  let previous = tokens[0]?.kind ?? INVALID;
  while (previous < END) {
    const [token, next] = nextToken(text, at, previous, lenient);
    tokens.push(token);
    at = next;
    previous = token.kind;
  }
  return tokens;
}

function parseApk(input: string): ApkVersion | string {
  if (input === '') return 'version string is empty';
  if (!/^[0-9]/.test(input)) return 'does not start with a digit';
  return new ApkVersion(input, tokenize(input, true));
}

/** apk_version_validate: the whole string follows the v3 grammar. */
function isValidApk(version: string): boolean {
  const tokens = tokenize(version, false);
  return tokens[tokens.length - 1]?.kind === END;
}

/** apk_blob_sort: byte order over the common length, then the shorter first. */
function compareTokens(a: Token, b: Token): Comparison {
  switch (a.kind) {
    case DIGIT:
      // Gentoo rule: a component with a leading zero compares as text ("1.02" < "1.1").
      if (a.text.startsWith('0') || b.text.startsWith('0')) return compareStrings(a.text, b.text);
      return compareIntegers(a.value, b.value);
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
    case LETTER:
    case SUFFIX:
      return compareIntegers(a.value, b.value);
    default:
      return compareStrings(a.text, b.text);
  }
}

function compareApkTokens(a: ApkVersion, b: ApkVersion, fuzzy: boolean): Comparison | string {
  const count = Math.min(a.tokens.length, b.tokens.length);
  let i = 0;
  for (; i < count; i++) {
    const x = a.tokens[i];
    const y = b.tokens[i];
    if (!x || !y || x.kind !== y.kind || x.kind >= END) break;
    const result = compareTokens(x, y);
    if (result !== 0) return result;
  }
  const x = a.tokens[i]?.kind ?? END;
  const y = b.tokens[i]?.kind ?? END;
  if (x === INVALID && y === INVALID && a.original !== b.original) {
    return `apk-tools cannot order it against ${JSON.stringify(b.original)}: both stop following the version grammar at the same place`;
  }
  if (x === y) return 0;
  if (fuzzy && y === END) return 0;
  // Equal so far: the longer version is newer, unless what it continues with is a pre-release suffix.
  if (x === SUFFIX && Number(a.tokens[i]?.value) < SUFFIX_NONE) return -1;
  if (y === SUFFIX && Number(b.tokens[i]?.value) < SUFFIX_NONE) return 1;
  return x > y ? -1 : 1;
}

export const apkDefinition: SchemeDefinition<ApkVersion> = {
  id: 'apk',
  parse: parseApk,
  owns: (value): value is ApkVersion => value instanceof ApkVersion,
  compare: (a, b) => compareApkTokens(a, b, false),
  compareFuzzy: (a, b) => compareApkTokens(a, b, true),
  isValid: isValidApk,
};

export const apk = defineScheme(apkDefinition);
