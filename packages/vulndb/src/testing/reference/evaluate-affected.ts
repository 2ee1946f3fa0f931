// Reference for match-differential.test: range evaluation as shipped before the reader cached rows and
// memoised range outcomes (commit 2505a05), unchanged but for import paths. Not used by shipped code.
import { isCustomsError, type CustomsError } from '@customs/errors';
import type { ParsedVersion, VersionScheme } from '@customs/versions';
import type { AffectedRanges, RangeType } from '../../ranges/affected-ranges.js';
import { defaultSchemes, type AffectedVerdict, type SchemeResolver } from '../../ranges/evaluate-affected.js';
import { evaluateRange } from './evaluate-range.js';

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
  const affectingFixes: Fix[] = [];
  const anyFixes: Fix[] = [];
  for (const entry of entries) {
    const parsed = new Map<VersionScheme, ParsedVersion>();
    for (const range of entry.ranges) {
      if (range.type === 'GIT') continue;
      const prepared = prepare(resolve, entry.ecosystem, range.type, installed, parsed);
      if ('error' in prepared) {
        firstError ??= prepared.error;
        continue;
      }
      const outcome = evaluateRange(range, prepared.scheme, prepared.version);
      if (outcome.status === 'error') {
        firstError ??= outcome.error;
        continue;
      }
      const fix = outcome.nextFixed === null ? [] : [{ version: outcome.nextFixed, scheme: prepared.scheme }];
      anyFixes.push(...fix);
      if (outcome.status === 'affected') {
        affected = true;
        affectingFixes.push(...fix);
      }
    }
    if (!affected && listed(entry, installed, resolve)) {
      affected = true;
    }
  }
  if (affected)
    return { status: 'affected', fixed: lowest(affectingFixes.length > 0 ? affectingFixes : anyFixes) };
  if (firstError) return { status: 'error', error: firstError };
  return { status: 'not-affected' };
}

function prepare(
  resolve: SchemeResolver,
  ecosystem: string,
  type: Exclude<RangeType, 'GIT'>,
  installed: string,
  parsed: Map<VersionScheme, ParsedVersion>,
): { scheme: VersionScheme; version: ParsedVersion } | { error: CustomsError } {
  try {
    const scheme = resolve(ecosystem, type);
    let version = parsed.get(scheme);
    if (!version) {
      version = scheme.parse(installed);
      parsed.set(scheme, version);
    }
    return { scheme, version };
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

function lowest(fixes: readonly Fix[]): string | null {
  let best: Fix | null = null;
  for (const fix of fixes) {
    if (best === null || safeCompare(fix, best) < 0) best = fix;
  }
  return best?.version ?? null;
}

/** Fixes from SEMVER and ECOSYSTEM ranges of one record normally agree; when a scheme cannot order both, keep the first. */
function safeCompare(a: Fix, b: Fix): number {
  try {
    return a.scheme.compare(a.version, b.version);
  } catch {
    return 0;
  }
}
