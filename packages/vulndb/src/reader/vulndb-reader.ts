import type { Database } from '@customs/db';
import type { AffectedQuery } from '../ecosystem/distro-ecosystem.js';
import { migrateVulnDb } from '../schema/migrations.js';
import type { AffectedRange } from '../ranges/affected-ranges.js';
import { parseSeverity, severityRank, type SeveritySource } from '@customs/model';
import type { AdvisorySeverity } from '../severity/severity.js';
import {
  byAdvisory,
  createPackageCache,
  type CachedEntry,
  type CachedRow,
  type PackageCache,
} from './package-cache.js';

/** One `affected[]` entry that names a queried package, with what a finding shows about its record. */
export interface AffectedRow {
  /** Index into the queries passed to affectedFor. */
  query: number;
  advisoryId: string;
  aliases: string[];
  /** The records this one derives from (OSV `upstream`): a Debian DLA names the CVEs it fixes. */
  upstream: string[];
  summary: string | null;
  modified: Date;
  /**
   * The entry's own severity where it states one, else the record's; for a record that rates nothing,
   * the CVE List record's of the CVE it aliases (vulndb_cve_severity), when one rates the flaw.
   */
  severity: AdvisorySeverity;
  /** Who rated it: the OSV record, or the CNA or an ADP of the aliased CVE's record; null when nobody did. */
  severitySource: SeveritySource | null;
  /** OSV ecosystem string of the entry as written: `Debian:12`. */
  ecosystem: string;
  packageName: string;
  purl: string | null;
  ranges: AffectedRange[];
  /**
   * The entry's listed versions that its ranges do not already cover (the stored record keeps the
   * whole list); when the query carried the installed version, only that version if listed.
   */
  versions: string[];
}

export interface EcosystemStatus {
  ecosystem: string;
  advisories: number;
  affectedEntries: number;
  lastImport: { finishedAt: Date; source: string } | null;
}

export interface VulnDbStatus {
  advisories: number;
  ecosystems: EcosystemStatus[];
  lastImport: { finishedAt: Date; source: string } | null;
}

export interface VulnDbReader {
  /**
   * Every affected entry naming any of the packages, in one round trip. A query with a release
   * matches entries of that release and entries that name no release; a query without one matches
   * every release (language ecosystems have none).
   */
  affectedFor(queries: readonly AffectedQuery[]): Promise<AffectedRow[]>;
  /**
   * When each advisory (by id) was published and last modified; ids not imported are absent.
   * Optional so that readers made for tests need not answer it (then no finding has an age).
   */
  advisoryDates?(ids: readonly string[]): Promise<Map<string, AdvisoryDates>>;
  status(): Promise<VulnDbStatus>;
}

export interface AdvisoryDates {
  /** Null when the record does not say (OSV's `published` is optional). */
  published: Date | null;
  modified: Date;
}

/**
 * The stored rows naming the asked packages with their revisions; a row's text only where the reader
 * does not already hold that revision ($4), so a warm reader receives a few bytes per package.
 * Revisions come from one sequence, so a revision names one version of one row.
 */
const LOOKUP = `
select p.ecosystem_base as base, p.name_key as name, p.release_key as release, p.revision::text as revision,
       case when p.revision = any($4::bigint[]) then null else p.entries end as entries
  from unnest($1::text[], $2::text[], $3::text[]) as q(base, name, release)
  join vulndb_packages p on p.ecosystem_base = q.base and p.name_key = q.name
   and (q.release is null or p.release_key = q.release or p.release_key = '')`;

/**
 * Whether any advisory is imported, on a schema a reader brought up to date: one index probe, where
 * `status()` counts every affected entry (seconds on a full OSV import). What a starting service
 * warns about, so its start does not wait for a count.
 */
export async function hasAdvisories(db: Database): Promise<boolean> {
  const [row] = await db.query<{ found: boolean }>(
    'select exists (select 1 from vulndb_advisories) as found',
  );
  return row?.found === true;
}

/**
 * Brings the schema up to date (or refuses a newer one) and returns the lookups the matcher uses. The
 * reader keeps the rows it parsed (package-cache.ts): a service's reader lives across requests.
 */
export async function createVulnDbReader(db: Database): Promise<VulnDbReader> {
  await migrateVulnDb(db);
  const cache = createPackageCache();
  return {
    affectedFor: (queries) => affectedFor(db, cache, queries),
    advisoryDates: (ids) => advisoryDates(db, ids),
    status: () => readStatus(db),
  };
}

interface FoundRow {
  base: string;
  name: string;
  release: string;
  revision: string;
  entries: string | null;
}

/**
 * One round trip: each distinct (base, name, release) is asked once and each stored row parsed once,
 * however many queries share it (a Debian source package stands behind many binaries), and only when
 * the cache does not hold its current revision. Rows are stored per release, so a Debian 12 lookup
 * reads nothing of Debian 11's entries.
 */
async function affectedFor(
  db: Database,
  cache: PackageCache,
  queries: readonly AffectedQuery[],
): Promise<AffectedRow[]> {
  const asked = new Map<string, AffectedQuery>();
  for (const query of queries) asked.set(lookupKey(query.ecosystemBase, query.name, query.release), query);
  if (asked.size === 0) return [];
  const distinct = [...asked.values()];
  // What the cache holds now, by revision: concurrent lookups may replace or drop these meanwhile.
  const held = new Map<string, CachedRow>();
  for (const query of distinct) {
    for (const row of cache.rowsOf(query.ecosystemBase, query.name).values()) held.set(row.revision, row);
  }
  const found = await db.query<FoundRow>(LOOKUP, [
    distinct.map((query) => query.ecosystemBase),
    distinct.map((query) => query.name),
    distinct.map((query) => query.release),
    [...held.keys()],
  ]);
  const byPackage = storedRows(found, held, cache);
  const rows: AffectedRow[] = [];
  queries.forEach((query, index) => {
    const stored = byPackage.get(lookupKey(query.ecosystemBase, query.name, null)) ?? [];
    const entries = stored
      .filter((group) => query.release === null || group.release === '' || group.release === query.release)
      .flatMap((group) => group.entries)
      .sort(byAdvisory);
    for (const entry of entries) rows.push(toAffectedRow(index, entry, query.version ?? null));
  });
  return withCveSeverities(db, rows);
}

/** The CVE a record stands for: its aliases, or the one CVE it derives from (cve-list.ts asks the same). */
function cveNamesOf(row: AffectedRow): string[] {
  const names = [...row.aliases, ...(row.upstream.length === 1 ? row.upstream : [])];
  return names.filter((name) => name.startsWith('CVE-'));
}

/** Unrated rows take the most severe rating the CVE List gave any CVE they stand for: one more round trip. */
async function withCveSeverities(db: Database, rows: AffectedRow[]): Promise<AffectedRow[]> {
  const unrated = rows.filter((row) => row.severitySource === null);
  const ids = [...new Set(unrated.flatMap(cveNamesOf))];
  if (ids.length === 0) return rows;
  const found = await db.query<{
    cve_id: string;
    origin: 'cve-cna' | 'cve-adp';
    rating: string;
    score: number;
    vector: string;
  }>(
    `select cve_id, origin, rating, score, vector from vulndb_cve_severity
      where cve_id = any($1::text[]) and rating is not null`,
    [ids],
  );
  const byId = new Map(found.map((row) => [row.cve_id, row]));
  for (const row of unrated) {
    const rated = cveNamesOf(row)
      .flatMap((id) => byId.get(id) ?? [])
      .map((cve) => ({ cve, rating: parseSeverity(cve.rating) ?? 'UNKNOWN' }))
      .sort((a, b) => severityRank(a.rating) - severityRank(b.rating))[0];
    if (!rated) continue;
    row.severity = {
      rating: rated.rating,
      score: rated.cve.score,
      vector: rated.cve.vector,
      source: rated.cve.cve_id,
    };
    row.severitySource = rated.cve.origin;
  }
  return rows;
}

async function advisoryDates(db: Database, ids: readonly string[]): Promise<Map<string, AdvisoryDates>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; published: Date | null; modified: Date }>(
    'select id, published, modified from vulndb_advisories where id = any($1::text[])',
    [[...new Set(ids)]],
  );
  return new Map(rows.map((row) => [row.id, { published: row.published, modified: row.modified }]));
}

/** The rows found, per (base, name): parsed now where their text came back, else the held revision. */
function storedRows(
  found: readonly FoundRow[],
  held: ReadonlyMap<string, CachedRow>,
  cache: PackageCache,
): Map<string, CachedRow[]> {
  const byPackage = new Map<string, CachedRow[]>();
  for (const row of found) {
    const key = lookupKey(row.base, row.name, null);
    const list = byPackage.get(key) ?? [];
    byPackage.set(key, list);
    if (list.some((known) => known.release === row.release)) continue;
    const cached =
      row.entries === null
        ? held.get(row.revision)
        : cache.remember(row.base, row.name, row.release, row.revision, row.entries);
    if (cached) list.push(cached);
  }
  return byPackage;
}

function lookupKey(base: string, name: string, release: string | null): string {
  return `${base}\u0000${name}\u0000${release ?? ''}`;
}

function toAffectedRow(query: number, entry: CachedEntry, version: string | null): AffectedRow {
  return {
    query,
    advisoryId: entry.advisoryId,
    aliases: entry.aliases,
    upstream: entry.upstream ?? [],
    summary: entry.summary,
    modified: new Date(entry.modifiedMs),
    severity: entry.rated,
    severitySource: entry.rated.rating === 'UNKNOWN' ? null : 'osv',
    ecosystem: entry.ecosystem,
    packageName: entry.packageName,
    purl: entry.purl,
    ranges: entry.ranges,
    versions: version === null ? entry.versions : entry.versions.includes(version) ? [version] : [],
  };
}

async function readStatus(db: Database): Promise<VulnDbStatus> {
  const [counts, imports, total] = await Promise.all([
    db.query<{ ecosystem: string; advisories: number; entries: number }>(
      `select ecosystem_base as ecosystem, count(distinct advisory_id)::int as advisories, count(*)::int as entries
         from vulndb_affected group by ecosystem_base`,
    ),
    db.query<{ ecosystem: string; finished_at: Date; source: string }>(
      `select distinct on (ecosystem) ecosystem, finished_at, source from vulndb_imports order by ecosystem, finished_at desc`,
    ),
    db.query<{ n: number }>('select count(*)::int as n from vulndb_advisories'),
  ]);
  const lastByEcosystem = new Map(
    imports.map((row) => [row.ecosystem, { finishedAt: row.finished_at, source: row.source }]),
  );
  const names = [...new Set([...counts.map((row) => row.ecosystem), ...lastByEcosystem.keys()])].sort();
  const byName = new Map(counts.map((row) => [row.ecosystem, row]));
  const ecosystems = names.map((ecosystem) => ({
    ecosystem,
    advisories: byName.get(ecosystem)?.advisories ?? 0,
    affectedEntries: byName.get(ecosystem)?.entries ?? 0,
    lastImport: lastByEcosystem.get(ecosystem) ?? null,
  }));
  const latest =
    [...lastByEcosystem.values()].sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime())[0] ?? null;
  return { advisories: total[0]?.n ?? 0, ecosystems, lastImport: latest };
}
