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

/** One stored row a lookup returned: its text only where the reader did not hold that revision. */
export interface FoundRow {
  release: string;
  revision: string;
  entries: string | null;
}

export interface PackageCache {
  /** Every revision held for one (ecosystem base, name): what a lookup need not send again. */
  heldRows(base: string, name: string): readonly CachedRow[];
  /**
   * The rows answering (base, name, release) when a lookup at this generation (0007) left them so and
   * nothing changed them since; undefined when the database must be asked.
   */
  answerAt(base: string, name: string, release: string | null, generation: string): CachedRow[] | undefined;
  /**
   * Takes one lookup's answer for (base, name, release) at `generation`: parses the rows whose text
   * came back, keeps the held ones (`held`, by revision, as they were when the lookup was sent), drops
   * the rows that are gone, and returns the answer.
   */
  settle(
    asked: AskedPackage,
    generation: string,
    found: readonly FoundRow[],
    held: ReadonlyMap<string, CachedRow>,
  ): CachedRow[];
}

export interface AskedPackage {
  base: string;
  name: string;
  /** null: every release (language ecosystems have none). */
  release: string | null;
}

interface PackageRecord {
  rows: Map<string, CachedRow>;
  /**
   * Per asked release, the generation at which the held rows were exactly a lookup's answer. Any
   * change to the rows clears them all: another release's lookup may share the '' row.
   */
  answered: Map<string, string>;
}

/**
 * Entries held at most: about three times what the adversarial bench inventory (the 1,000 most
 * advised packages) reads, 34,495 entries from 22 MB of row text.
 */
export const MAX_CACHED_ENTRIES = 100_000;

/**
 * Parsed lookup rows of the packages asked for recently, least recently used dropped first. A row is
 * only used at the revision the database reported, or while the generation it was answered at is the
 * current one, so the cache can be stale in memory (a row rewritten since) but never in an answer.
 */
export function createPackageCache(maxEntries = MAX_CACHED_ENTRIES): PackageCache {
  const packages = new Map<string, PackageRecord>();
  let held = 0;
  const touch = (key: string): PackageRecord | undefined => {
    const record = packages.get(key);
    if (record) {
      packages.delete(key);
      packages.set(key, record);
    }
    return record;
  };
  const drop = (key: string): void => {
    const record = packages.get(key);
    if (!record) return;
    packages.delete(key);
    held -= weight(record);
  };
  const evictBeyond = (limit: number): void => {
    for (const key of packages.keys()) {
      if (held <= limit) return;
      drop(key);
    }
  };
  return {
    heldRows: (base, name) => [...(packages.get(packageKey(base, name))?.rows.values() ?? [])],
    answerAt(base, name, release, generation) {
      const record = touch(packageKey(base, name));
      if (record?.answered.get(release ?? ANY_RELEASE) !== generation) return undefined;
      return answerOf(record, release);
    },
    settle(asked, generation, found, heldByRevision) {
      const key = packageKey(asked.base, asked.name);
      const before = packages.get(key);
      const record = updated(before, asked.release, found, heldByRevision);
      if (before) drop(key);
      const size = weight(record);
      if (size > maxEntries) return answerOf(record, asked.release);
      evictBeyond(maxEntries - size);
      packages.set(key, record);
      held += size;
      record.answered.set(asked.release ?? ANY_RELEASE, generation);
      return answerOf(record, asked.release);
    },
  };
}

const ANY_RELEASE = '\u0000any';

/** Entries held, and one for the record itself: a package known to have no rows still costs a little. */
function weight(record: PackageRecord): number {
  let entries = 1;
  for (const row of record.rows.values()) entries += row.entries.length;
  return entries;
}

function answers(release: string | null, rowRelease: string): boolean {
  return release === null || rowRelease === '' || rowRelease === release;
}

function answerOf(record: PackageRecord, release: string | null): CachedRow[] {
  return [...record.rows.values()].filter((row) => answers(release, row.release));
}

/** The record after one lookup's answer; its answered marks survive only if no row changed. */
function updated(
  before: PackageRecord | undefined,
  release: string | null,
  found: readonly FoundRow[],
  heldByRevision: ReadonlyMap<string, CachedRow>,
): PackageRecord {
  const rows = new Map(before?.rows ?? []);
  let changed = false;
  const foundReleases = new Set<string>();
  for (const row of found) {
    foundReleases.add(row.release);
    if (rows.get(row.release)?.revision === row.revision) continue;
    const known = heldByRevision.get(row.revision);
    const parsed = row.entries === null ? known : parsedRow(row.release, row.revision, row.entries);
    if (!parsed) continue;
    rows.set(row.release, parsed);
    changed = true;
  }
  for (const rowRelease of [...rows.keys()]) {
    if (!answers(release, rowRelease) || foundReleases.has(rowRelease)) continue;
    rows.delete(rowRelease);
    changed = true;
  }
  return { rows, answered: changed || !before ? new Map() : before.answered };
}

function packageKey(base: string, name: string): string {
  return `${base}\u0000${name}`;
}

function parsedRow(release: string, revision: string, text: string): CachedRow {
  return Object.freeze({ release, revision, entries: parseEntries(text) });
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

/**
 * Every field named in one order, so all entries share one object shape: a lookup reads a dozen
 * fields of each of tens of thousands of entries, and entries shaped as their JSON happened to be
 * (`upstream` absent in older rows) made those reads several times slower.
 */
function cachedEntry(entry: PackageEntry): CachedEntry {
  const { severity } = entry;
  return deepFreeze({
    advisoryId: entry.advisoryId,
    aliases: entry.aliases,
    upstream: entry.upstream ?? [],
    summary: entry.summary,
    modified: entry.modified,
    modifiedMs: Date.parse(entry.modified),
    severity,
    rated: {
      rating: parseSeverity(severity.rating) ?? 'UNKNOWN',
      score: severity.score,
      vector: severity.vector,
      source: severity.source,
    },
    ecosystem: entry.ecosystem,
    releaseKey: entry.releaseKey,
    packageName: entry.packageName,
    purl: entry.purl,
    ranges: entry.ranges,
    versions: entry.versions,
  });
}

/** Shared by concurrent lookups and their callers: a change by one must not leak into another. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
