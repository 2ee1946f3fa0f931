import { parseSeverity } from '@customs/model';
import type { PackageEntry } from '../schema/package-entries.js';
import type { AdvisorySeverity } from '../severity/severity.js';

/** One element of a lookup row, parsed once and shared (frozen) by every lookup that reads it. */
export interface CachedEntry extends Readonly<PackageEntry> {
  /** `modified` as epoch milliseconds: each lookup makes its own Date without parsing text again. */
  modifiedMs: number;
  /** The severity as findings show it (rows imported before the ladder was one say NONE for 0.0). */
  rated: AdvisorySeverity;
}

/** One vulndb_packages row as a reader holds it. */
export interface CachedRow {
  release: string;
  /** vulndb_packages.revision: a new one whenever an import rewrites the row. */
  revision: string;
  entries: readonly CachedEntry[];
}

export interface PackageCache {
  /** The rows held for one (ecosystem base, name), by release key. */
  rowsOf(base: string, name: string): ReadonlyMap<string, CachedRow>;
  /** Parses a row's text and holds it, newest first to go when the cache is full. */
  remember(base: string, name: string, release: string, revision: string, text: string): CachedRow;
}

/**
 * Entries held at most: about three times what the adversarial bench inventory (the 1,000 most
 * advised packages) reads, 34,495 entries from 22 MB of row text.
 */
export const MAX_CACHED_ENTRIES = 100_000;

/**
 * Parsed lookup rows of the packages asked for recently, least recently used dropped first. A row is
 * only ever used at the revision the database reports in the same statement, so the cache can be
 * stale in memory (a row rewritten or deleted since) but never in an answer.
 */
export function createPackageCache(maxEntries = MAX_CACHED_ENTRIES): PackageCache {
  const packages = new Map<string, Map<string, CachedRow>>();
  let held = 0;
  const touch = (key: string): Map<string, CachedRow> | undefined => {
    const rows = packages.get(key);
    if (rows) {
      packages.delete(key);
      packages.set(key, rows);
    }
    return rows;
  };
  const drop = (key: string, release: string): void => {
    const rows = packages.get(key);
    const row = rows?.get(release);
    if (!rows || !row) return;
    held -= row.entries.length;
    rows.delete(release);
    if (rows.size === 0) packages.delete(key);
  };
  const evictBeyond = (limit: number): void => {
    for (const [key, rows] of packages) {
      if (held <= limit) return;
      for (const release of [...rows.keys()]) drop(key, release);
    }
  };
  return {
    rowsOf: (base, name) => touch(packageKey(base, name)) ?? new Map(),
    remember(base, name, release, revision, text) {
      const key = packageKey(base, name);
      drop(key, release);
      const row: CachedRow = Object.freeze({ release, revision, entries: parseEntries(text) });
      if (row.entries.length > maxEntries) return row;
      evictBeyond(maxEntries - row.entries.length);
      const rows = touch(key) ?? new Map<string, CachedRow>();
      rows.set(release, row);
      packages.set(key, rows);
      held += row.entries.length;
      return row;
    },
  };
}

function packageKey(base: string, name: string): string {
  return `${base}\u0000${name}`;
}

/** The text was built by our own SQL (package-entries.ts) in the same schema version. */
function parseEntries(text: string): readonly CachedEntry[] {
  const parsed: unknown = JSON.parse(text);
  const entries: PackageEntry[] = Array.isArray(parsed) ? parsed : [];
  // Already in the order lookups return (a stable sort keeps SQL's order among equal ids), so their
  // sort of one package's rows meets runs that are already ordered.
  return Object.freeze(entries.map(cachedEntry).sort(byAdvisory));
}

/** The order lookups return entries in: by advisory id, compared as JavaScript strings. */
export function byAdvisory(a: PackageEntry, b: PackageEntry): number {
  return a.advisoryId < b.advisoryId ? -1 : a.advisoryId > b.advisoryId ? 1 : 0;
}

function cachedEntry(entry: PackageEntry): CachedEntry {
  const { severity } = entry;
  const rated = { ...severity, rating: parseSeverity(severity.rating) ?? 'UNKNOWN' };
  return deepFreeze({ ...entry, modifiedMs: Date.parse(entry.modified), rated });
}

/** Shared by concurrent lookups and their callers: a change by one must not leak into another. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
