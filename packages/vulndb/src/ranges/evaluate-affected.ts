import { isCustomsError, type CustomsError } from '@customs/errors';
import { go, schemeForEcosystem, semver, type ParsedVersion, type VersionScheme } from '@customs/versions';
import { splitEcosystem } from '../ecosystem/ecosystem-name.js';
import type { AffectedRanges, RangeType } from './affected-ranges.js';
import { evaluateRange } from './evaluate-range.js';
import { memoizedScheme } from './memoized-scheme.js';

/**
 * Whether one installed version is affected by one or more `affected[]` entries of a record.
 * `error` is an answer of its own: some version involved could not be ordered and no range matched,
 * so the caller must report it rather than call the package safe.
 */
export type AffectedVerdict =
  | { status: 'affected'; fixed: string | null }
  | { status: 'not-affected' }
  | { status: 'error'; error: CustomsError };

/** The version order a range uses: ECOSYSTEM ranges the ecosystem's own, SEMVER ranges SemVer 2.0. */
export type SchemeResolver = (ecosystem: string, type: Exclude<RangeType, 'GIT'>) => VersionScheme;

/**
 * SemVer 2.0 for SEMVER ranges whatever the ecosystem; Go's reading of SemVer for Go, which only adds
 * that installed Go versions carry a `v` OSV's ranges leave out. Parses are remembered (memoizedScheme).
 */
export const defaultSchemes: SchemeResolver = (ecosystem, type) => {
  const byEcosystem = resolved[type];
  let scheme = byEcosystem.get(ecosystem);
  if (!scheme) {
    scheme = resolveScheme(ecosystem, type);
    byEcosystem.set(ecosystem, scheme);
  }
  return scheme;
};

/** By range type and ecosystem string: a lookup asks the same few thousands of times. Unknown ones throw, and are not kept. */
const resolved = { ECOSYSTEM: new Map<string, VersionScheme>(), SEMVER: new Map<string, VersionScheme>() };

function resolveScheme(ecosystem: string, type: Exclude<RangeType, 'GIT'>): VersionScheme {
  if (type === 'ECOSYSTEM') return memoizedScheme(schemeForEcosystem(ecosystem));
  return memoizedScheme(splitEcosystem(ecosystem).base === 'Go' ? go : semver);
}

interface Fix {
  version: string;
  scheme: VersionScheme;
}

/**
 * Evaluates the entries of one record that name the package. Affected when the version is in any entry's `versions` list or inside any of its ranges (GIT
 * ranges are ignored: they need the repository). The fixed version is the lowest `fixed` above the
 * installed version among the ranges that affect it (among all ranges when only a list matched).
 */
export function evaluateAffected(
  entries: readonly AffectedRanges[],
  installed: string,
  resolve: SchemeResolver = defaultSchemes,
): AffectedVerdict {
  let firstError: CustomsError | null = null;
  let affected = false;
  // The lowest `fixed` among the ranges that affect the version, and among all of them.
  let affectingFix: Fix | null = null;
  let anyFix: Fix | null = null;
  for (const entry of entries) {
    for (const range of entry.ranges) {
      if (range.type === 'GIT') continue;
      const prepared = prepare(resolve, entry.ecosystem, range.type, installed);
      if ('error' in prepared) {
        firstError ??= prepared.error;
        continue;
      }
      const outcome = evaluateRange(range, prepared.scheme, prepared.version);
      if (outcome.status === 'error') {
        firstError ??= outcome.error;
        continue;
      }
      const fix = outcome.nextFixed === null ? null : { version: outcome.nextFixed, scheme: prepared.scheme };
      anyFix = lower(fix, anyFix);
      if (outcome.status === 'affected') {
        affected = true;
        affectingFix = lower(fix, affectingFix);
      }
    }
    if (!affected && listed(entry, installed, resolve)) {
      affected = true;
    }
  }
  if (affected) return { status: 'affected', fixed: (affectingFix ?? anyFix)?.version ?? null };
  if (firstError) return { status: 'error', error: firstError };
  return { status: 'not-affected' };
}

function prepare(
  resolve: SchemeResolver,
  ecosystem: string,
  type: Exclude<RangeType, 'GIT'>,
  installed: string,
): { scheme: VersionScheme; version: ParsedVersion } | { error: CustomsError } {
  try {
    // The default resolver's schemes remember their parses (memoized-scheme.ts).
    const scheme = resolve(ecosystem, type);
    return { scheme, version: scheme.parse(installed) };
  } catch (error) {
    if (isCustomsError(error)) return { error };
    throw error;
  }
}

/**
 * The spec compares list entries by equality. Exact text first; then the ecosystem's own equality
 * (PEP 440 `1.0` == `1.0.0`). Entries the scheme cannot read are upstream tags of GIT-only records
 * and simply do not match.
 */
function listed(entry: AffectedRanges, installed: string, resolve: SchemeResolver): boolean {
  if (entry.versions.length === 0) return false;
  if (entry.versions.includes(installed)) return true;
  let scheme: VersionScheme;
  let version: ParsedVersion;
  try {
    scheme = resolve(entry.ecosystem, 'ECOSYSTEM');
    version = scheme.parse(installed);
  } catch {
    return false;
  }
  return entry.versions.some(
    (candidate) => scheme.isValid(candidate) && scheme.compare(version, candidate) === 0,
  );
}

/** The first of the lowest wins: a later fix replaces the best so far only when strictly lower. */
function lower(fix: Fix | null, best: Fix | null): Fix | null {
  if (fix === null) return best;
  return best === null || safeCompare(fix, best) < 0 ? fix : best;
}

/** Fixes from SEMVER and ECOSYSTEM ranges of one record normally agree; when a scheme cannot order both, keep the first. */
function safeCompare(a: Fix, b: Fix): number {
  try {
    return a.scheme.compare(a.version, b.version);
  } catch {
    return 0;
  }
}
