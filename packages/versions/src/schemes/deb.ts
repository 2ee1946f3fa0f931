import { defineScheme, sign, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';

/**
 * Debian and Ubuntu: `[epoch:]upstream[-revision]`, ordered by dpkg's verrevcmp (lib/dpkg/version.c).
 * Parsing follows dpkg's parseversion: its errors make a string invalid; its "bad syntax" warnings
 * (upstream not starting with a digit, characters outside Policy) still compare, as
 * `dpkg --compare-versions` does, but make `isValid` false.
 */
export class DebVersion implements ParsedVersion {
  constructor(
    readonly original: string,
    readonly epoch: number,
    readonly upstream: string,
    readonly revision: string,
    readonly warning: string | null,
  ) {}
}

const MAX_EPOCH = 2147483647;

function parseDeb(input: string): DebVersion | string {
  const version = input.trim();
  if (version === '') return 'version string is empty';
  if (/\s/.test(version)) return 'version string has embedded spaces';
  let epoch = 0;
  let rest = version;
  const colon = version.indexOf(':');
  if (colon >= 0) {
    const digits = version.slice(0, colon);
    if (digits === '') return 'epoch in version is empty';
    if (!/^[0-9]+$/.test(digits)) return 'epoch in version is not number';
    epoch = Number(digits);
    if (epoch > MAX_EPOCH) return 'epoch in version is too big';
    rest = version.slice(colon + 1);
    if (rest === '') return 'nothing after colon in version number';
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (hyphen >= 0 && revision === '') return 'revision number is empty';
  if (upstream === '') return 'version number is empty';
  return new DebVersion(input, epoch, upstream, revision, syntaxWarning(upstream, revision));
}

function syntaxWarning(upstream: string, revision: string): string | null {
  if (!/^[0-9]/.test(upstream)) return 'version number does not start with digit';
  if (!/^[0-9A-Za-z.+~:-]*$/.test(upstream)) return 'invalid character in version number';
  if (!/^[0-9A-Za-z.+~]*$/.test(revision)) return 'invalid character in revision number';
  return null;
}

const ZERO = 48;
const NINE = 57;
const TILDE = 126;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

function isAlpha(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** dpkg's weight of a non-digit: `~` before the end of string, letters before other symbols. */
function order(code: number): number {
  if (code === 0 || isDigit(code)) return 0;
  if (isAlpha(code)) return code;
  if (code === TILDE) return -1;
  return code + 256;
}

/** Character code at i, or 0 past the end (C's terminating NUL). */
function at(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : 0;
}

/** dpkg's verrevcmp: alternating non-digit runs (by `order`) and digit runs (numerically). */
export function verrevcmp(a: string, b: string): Comparison {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(at(a, i))) || (j < b.length && !isDigit(at(b, j)))) {
      const difference = order(at(a, i)) - order(at(b, j));
      if (difference !== 0) return sign(difference);
      i++;
      j++;
    }
    while (at(a, i) === ZERO) i++;
    while (at(b, j) === ZERO) j++;
    let firstDifference = 0;
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (firstDifference === 0) firstDifference = at(a, i) - at(b, j);
      i++;
      j++;
    }
    if (isDigit(at(a, i))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDifference !== 0) return sign(firstDifference);
  }
  return 0;
}

function compareDeb(a: DebVersion, b: DebVersion): Comparison {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const debDefinition: SchemeDefinition<DebVersion> = {
  id: 'deb',
  parse: parseDeb,
  owns: (value): value is DebVersion => value instanceof DebVersion,
  compare: compareDeb,
  isValid: (version) => {
    const parsed = parseDeb(version);
    return typeof parsed !== 'string' && parsed.warning === null;
  },
};

export const deb = defineScheme(debDefinition);
