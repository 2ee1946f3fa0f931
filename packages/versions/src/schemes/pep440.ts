import { createRequire } from 'node:module';
import type { explain as explainVersion } from '@renovatebot/pep440';
import { compareIntegers, compareStrings, integerFromDigits, type Integer } from '../integer.js';
import { defineScheme, type Comparison, type ParsedVersion, type SchemeDefinition } from '../scheme.js';
import { compareLegacyKeys, legacyKey } from './pep440-legacy.js';

const require = createRequire(import.meta.url);
let pep440Grammar: typeof explainVersion | null = null;

/** @renovatebot/pep440's parser, loaded on the first PyPI version rather than with every command. */
function explain(version: string): ReturnType<typeof explainVersion> {
  pep440Grammar ??= (require('@renovatebot/pep440') as { explain: typeof explainVersion }).explain;
  return pep440Grammar(version);
}

/**
 * PyPI: PEP 440 as `packaging.version.Version` orders it. @renovatebot/pep440 reads the grammar
 * (spellings like `1.0-1`, `1.0.post`, `1.0c1`, `v1.0`); the order is computed here from its
 * fields once per version, because the library re-parses both strings on every compare.
 * Strings that are not PEP 440 order as setuptools' legacy versions, below every PEP 440 version
 * (what OSV and packaging < 22 do); `isValid` is false for them.
 */

const PRE_RANK: ReadonlyMap<string, number> = new Map([
  ['a', 0],
  ['b', 1],
  ['rc', 2],
]);

interface Pep440Fields {
  epoch: number;
  /** Release numbers without trailing zeros: 1.0 and 1 are the same release. */
  release: number[];
  /** [rank, number]; -Infinity / Infinity encode "dev-only" and "final". */
  pre: [number, number];
  post: number;
  dev: number;
  local: (Integer | string)[] | null;
}

export class Pep440Version implements ParsedVersion {
  constructor(
    readonly original: string,
    /** null for a legacy (non PEP 440) version. */
    readonly fields: Pep440Fields | null,
    readonly legacy: readonly string[],
  ) {}
}

function isNumberPair(value: unknown): value is [string, number] {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number';
}

function optionalNumber(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function fieldsOf(version: string): Pep440Fields | null | string {
  // The library's typings say `post`/`dev` are arrays; at run time they are numbers: read as unknown.
  const explained: object | null = explain(version);
  if (explained === null) return null;
  const [epoch, release, pre, post, dev, local]: unknown[] = [
    'epoch',
    'release',
    'pre',
    'post',
    'dev',
    'local',
  ].map((key) => Reflect.get(explained, key));
  if (typeof epoch !== 'number' || !Array.isArray(release)) return null;
  const numbers: number[] = release.filter((part): part is number => typeof part === 'number');
  const preRelease = isNumberPair(pre) ? pre : null;
  const postRelease = optionalNumber(post);
  const devRelease = optionalNumber(dev);
  const all = [epoch, ...numbers, preRelease?.[1] ?? 0, postRelease ?? 0, devRelease ?? 0];
  if (!all.every(Number.isSafeInteger)) return 'a number in it is too large to compare exactly';
  while (numbers.length > 0 && numbers[numbers.length - 1] === 0) numbers.pop();
  return {
    epoch,
    release: numbers,
    pre: preRelease
      ? [PRE_RANK.get(preRelease[0]) ?? 0, preRelease[1]]
      : postRelease === null && devRelease !== null
        ? [-Infinity, 0]
        : [Infinity, 0],
    post: postRelease ?? -Infinity,
    dev: devRelease ?? Infinity,
    local: typeof local === 'string' ? localParts(local) : null,
  };
}

function localParts(local: string): (Integer | string)[] {
  return local.split(/[._-]/).map((part) => (/^[0-9]+$/.test(part) ? integerFromDigits(part) : part));
}

function parsePep440(input: string): Pep440Version | string {
  const version = input.trim();
  if (version === '') return 'version string is empty';
  if (/\s/.test(version)) return 'version string has embedded whitespace';
  const fields = fieldsOf(version);
  if (typeof fields === 'string') return fields;
  return new Pep440Version(input, fields, fields ? [] : legacyKey(version));
}

function compareNumberLists(a: readonly number[], b: readonly number[]): Comparison {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const result = compareIntegers(a[i] ?? 0, b[i] ?? 0);
    if (result !== 0) return result;
  }
  return compareIntegers(a.length, b.length);
}

/** PEP 440 local labels: numbers above words, numbers numerically, shorter first. */
function compareLocal(a: Pep440Fields['local'], b: Pep440Fields['local']): Comparison {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const result =
      typeof x === 'string' || typeof y === 'string'
        ? typeof x === typeof y
          ? compareStrings(String(x), String(y))
          : typeof x === 'string'
            ? -1
            : 1
        : compareIntegers(x, y);
    if (result !== 0) return result;
  }
  return compareIntegers(a.length, b.length);
}

function compareFields(a: Pep440Fields, b: Pep440Fields): Comparison {
  return (
    compareIntegers(a.epoch, b.epoch) ||
    compareNumberLists(a.release, b.release) ||
    compareNumberLists(a.pre, b.pre) ||
    compareIntegers(a.post, b.post) ||
    compareIntegers(a.dev, b.dev) ||
    compareLocal(a.local, b.local)
  );
}

function comparePep440(a: Pep440Version, b: Pep440Version): Comparison {
  if (a.fields && b.fields) return compareFields(a.fields, b.fields);
  if (a.fields || b.fields) return a.fields ? 1 : -1;
  return compareLegacyKeys(a.legacy, b.legacy);
}

export const pep440Definition: SchemeDefinition<Pep440Version> = {
  id: 'pep440',
  parse: parsePep440,
  owns: (value): value is Pep440Version => value instanceof Pep440Version,
  compare: comparePep440,
  isValid: (version) => {
    const parsed = parsePep440(version);
    return typeof parsed !== 'string' && parsed.fields !== null;
  },
};

export const pep440 = defineScheme(pep440Definition);

/** PEP 503 name normalisation: runs of `-`, `_`, `.` become one `-`, all lower case. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
