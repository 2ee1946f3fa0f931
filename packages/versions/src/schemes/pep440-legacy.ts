import { compareStrings } from '../integer.js';
import type { Comparison } from '../scheme.js';

/**
 * setuptools' pre-PEP 440 ordering, kept by `packaging` (< 22) as LegacyVersion: OSV and old pip
 * order PyPI versions that are not PEP 440 this way ("0.3m2", "2013-01-21T20:33:09+0100"), and
 * every such version sorts before every PEP 440 version.
 */

const COMPONENT = /(\d+|[a-z]+|\.|-)/;
const REPLACEMENTS: ReadonlyMap<string, string> = new Map([
  ['pre', 'c'],
  ['preview', 'c'],
  ['-', 'final-'],
  ['rc', 'c'],
  ['dev', '@'],
]);

function* legacyParts(version: string): Generator<string> {
  for (const raw of version.split(COMPONENT)) {
    const part = REPLACEMENTS.get(raw) ?? raw;
    if (part === '' || part === '.') continue;
    // Numbers are zero-padded so that text order is numeric order; words get a `*` prefix.
    yield /^[0-9]/.test(part) ? part.padStart(8, '0') : `*${part}`;
  }
  yield '*final';
}

/** The comparison key of a legacy version: its parts, with setuptools' trimming applied. */
export function legacyKey(version: string): string[] {
  const parts: string[] = [];
  for (const part of legacyParts(version.toLowerCase())) {
    if (part.startsWith('*')) {
      // A "-" before a pre-release tag does not count, nor do trailing zeros of a numeric series.
      if (part < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

export function compareLegacyKeys(a: readonly string[], b: readonly string[]): Comparison {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const result = compareStrings(a[i] ?? '', b[i] ?? '');
    if (result !== 0) return result;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
