import { defineScheme, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';

/**
 * RPM distributions: `[epoch:]version[-release]`, each part ordered by rpmvercmp (rpmio/rpmvercmp.c),
 * with `~` sorting before anything (pre-releases) and `^` after the base but before any longer
 * version (post-release snapshots). The split follows rpm's parseEVR: an epoch is the leading digits
 * before `:`, the release is what follows the last `-`.
 *
 * One deliberate difference from rpm's rpmverCmp: there a missing release compares equal to any
 * release; here a version without a release sorts before the same version with one (as OSV does).
 * Installed packages and advisories always carry both, so only bare-version input sees this.
 */
export class RpmVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    readonly epoch: string,
    readonly version: string,
    readonly release: string | null,
  ) {}
}

function parseRpm(input: string): RpmVersion | string {
  if (input === '') return 'version string is empty';
  if (/[\s\p{Cc}]/u.test(input)) return 'version string contains whitespace or control characters';
  const epochEnd = /^[0-9]*:/.exec(input);
  const epoch = epochEnd ? epochEnd[0].slice(0, -1) || '0' : '0';
  const rest = epochEnd ? input.slice(epochEnd[0].length) : input;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  if (version === '') return 'version part is empty';
  return new RpmVersion(input, epoch, version, hyphen >= 0 ? rest.slice(hyphen + 1) : null);
}

const TILDE = 126;
const CARET = 94;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isAlpha(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** rpm's separators: anything but ASCII letters, digits, `~` and `^` (so non-ASCII bytes too). */
function isSeparator(code: number): boolean {
  return !isDigit(code) && !isAlpha(code) && code !== TILDE && code !== CARET;
}

/** rpmvercmp: segment-wise, digits numerically (longer wins), letters with strcmp. */
export function rpmvercmp(a: string, b: string): Comparison {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && isSeparator(a.charCodeAt(i))) i++;
    while (j < b.length && isSeparator(b.charCodeAt(j))) j++;
    const x = i < a.length ? a.charCodeAt(i) : 0;
    const y = j < b.length ? b.charCodeAt(j) : 0;
    if (x === TILDE || y === TILDE) {
      if (x !== TILDE) return 1;
      if (y !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (x === CARET || y === CARET) {
      if (x === 0) return -1;
      if (y === 0) return 1;
      if (x !== CARET) return 1;
      if (y !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (x === 0 || y === 0) return x === 0 && y === 0 ? 0 : x === 0 ? -1 : 1;
    const numeric = isDigit(x);
    const take = numeric ? isDigit : isAlpha;
    let endA = i;
    let endB = j;
    while (endA < a.length && take(a.charCodeAt(endA))) endA++;
    while (endB < b.length && take(b.charCodeAt(endB))) endB++;
    // A numeric segment beats an alphabetic one (rpm bug #50977).
    if (endB === j) return numeric ? 1 : -1;
    const result = numeric
      ? compareDigitRuns(a.slice(i, endA), b.slice(j, endB))
      : compareAscii(a.slice(i, endA), b.slice(j, endB));
    if (result !== 0) return result;
    i = endA;
    j = endB;
  }
}

function compareDigitRuns(a: string, b: string): Comparison {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareAscii(x, y);
}

function compareAscii(a: string, b: string): Comparison {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRpm(a: RpmVersion, b: RpmVersion): Comparison {
  const byEpochAndVersion = rpmvercmp(a.epoch, b.epoch) || rpmvercmp(a.version, b.version);
  if (byEpochAndVersion !== 0) return byEpochAndVersion;
  if (a.release === null || b.release === null) {
    return a.release === b.release ? 0 : a.release === null ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}

export const rpmDefinition: SchemeDefinition<RpmVersion> = {
  id: 'rpm',
  parse: parseRpm,
  owns: (value): value is RpmVersion => value instanceof RpmVersion,
  compare: compareRpm,
};

export const rpm = defineScheme(rpmDefinition);
