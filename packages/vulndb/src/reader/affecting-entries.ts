import { evaluateAffected, type SchemeResolver } from '../ranges/evaluate-affected.js';
import { byAdvisory, type CachedEntry, type CachedRow } from './package-cache.js';

/** What a lookup is for: query i will be judged at versions[i] (null: not judged, every entry wanted). */
export interface Judging {
  versions: readonly (string | null)[];
  resolve: SchemeResolver;
}

/**
 * The entries of a lookup's answer in advisory order; when judged at a version, only the advisories
 * that may affect it. An advisory is left out only when every one of its entries, evaluated alone with
 * its whole `versions` list, is neither affected nor in error: then the caller's evaluation of the
 * advisory (all entries, the list narrowed to the installed version) is `not-affected` too.
 */
export function answerEntries(
  rows: readonly CachedRow[],
  version: string | null,
  resolve: SchemeResolver,
): readonly CachedEntry[] {
  const [only] = rows;
  // One row (every language package, most distro ones) is already in advisory order.
  if (rows.length === 1 && only)
    return version === null ? only.entries : judgedRow(only, version, resolve).entries;
  const all = rows.flatMap((row) => row.entries).sort(byAdvisory);
  if (version === null) return all;
  const kept = new Set(rows.flatMap((row) => [...judgedRow(row, version, resolve).advisories]));
  return all.filter((entry) => kept.has(entry.advisoryId));
}

/** One stored row at one version: the advisories that may affect it, and all their entries in the row. */
interface JudgedRow {
  advisories: ReadonlySet<string>;
  entries: readonly CachedEntry[];
}

/** Versions remembered per row and resolver; past this the memo starts over, so memory stays bounded. */
const MAX_VERSIONS_PER_ROW = 64;

/**
 * Keyed by the row object: a reader hands out the same frozen rows until an import rewrites them
 * (package-cache.ts), and rows nobody holds any more are collected with their memo.
 */
const judged = new WeakMap<CachedRow, WeakMap<SchemeResolver, Map<string, JudgedRow>>>();

function judgedRow(row: CachedRow, version: string, resolve: SchemeResolver): JudgedRow {
  let byResolver = judged.get(row);
  if (!byResolver) {
    byResolver = new WeakMap();
    judged.set(row, byResolver);
  }
  let byVersion = byResolver.get(resolve);
  if (!byVersion) {
    byVersion = new Map();
    byResolver.set(resolve, byVersion);
  }
  let result = byVersion.get(version);
  if (!result) {
    result = judge(row, version, resolve);
    if (byVersion.size >= MAX_VERSIONS_PER_ROW) byVersion.clear();
    byVersion.set(version, result);
  }
  return result;
}

function judge(row: CachedRow, version: string, resolve: SchemeResolver): JudgedRow {
  const advisories = new Set<string>();
  for (const entry of row.entries) {
    if (
      !advisories.has(entry.advisoryId) &&
      evaluateAffected([entry], version, resolve).status !== 'not-affected'
    )
      advisories.add(entry.advisoryId);
  }
  return { advisories, entries: row.entries.filter((entry) => advisories.has(entry.advisoryId)) };
}
