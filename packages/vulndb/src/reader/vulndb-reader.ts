import type { Database } from '@customs/db';
import type { AffectedQuery } from '../ecosystem/distro-ecosystem.js';
import { migrateVulnDb } from '../schema/migrations.js';
import type { AffectedRange } from '../ranges/affected-ranges.js';
import { parseSeverity, severityRank, type SeveritySource } from '@customs/model';
import type { AdvisorySeverity } from '../severity/severity.js';
import { PACKAGES_GENERATION } from '../schema/packages-generation.js';
import { defaultSchemes } from '../ranges/evaluate-affected.js';
import { answerEntries, type Judging } from './affecting-entries.js';
import {
  createPackageCache,
  type AskedPackage,
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
   * every release (language ecosystems have none). With `judging`, the advisories that certainly do
   * not affect query i at judging.versions[i] are left out (affecting-entries.ts): what a scan needs.
   */
  affectedFor(queries: readonly AffectedQuery[], judging?: Judging): Promise<AffectedRow[]>;
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
 * The stored rows naming the asked packages with their revisions, and the generation they were read
 * at (the same statement, so the same snapshot); a row's text only where the reader does not already
 * hold that revision ($4), so a reader re-checking what it holds receives a few bytes per package.
 */
const LOOKUP = `
select null as asked, null as base, null as name, null as release, null as revision, null as entries,
       (${PACKAGES_GENERATION}) as generation
union all
select q.ordinal::text, p.ecosystem_base, p.name_key, p.release_key, p.revision::text,
       case when p.revision = any($4::bigint[]) then null else p.entries end, null
  from unnest($1::text[], $2::text[], $3::text[]) with ordinality as q(base, name, release, ordinal)
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
    affectedFor: (queries, judging) => affectedFor(db, cache, queries, judging),
    advisoryDates: (ids) => advisoryDates(db, ids),
    status: () => readStatus(db),
  };
}

/**
 * Each distinct (base, name, release) is answered once however many queries share it (a Debian source
 * package stands behind many binaries). A long-lived reader answers from memory what it answered at
 * the current generation (one one-row query); the rest is looked up in one round trip, which parses
 * only rows the reader does not hold. Rows are stored per release, so a Debian 12 lookup reads nothing
 * of Debian 11's entries.
 */
async function affectedFor(
  db: Database,
  cache: PackageCache,
  queries: readonly AffectedQuery[],
  judging?: Judging,
): Promise<AffectedRow[]> {
  const keys = queries.map((query) => lookupKey(query.ecosystemBase, query.name, query.release));
  const asked = new Map<string, AskedPackage>();
  queries.forEach((query, index) => {
    asked.set(keys[index] as string, { base: query.ecosystemBase, name: query.name, release: query.release });
  });
  if (asked.size === 0) return [];
  const answers = await answersFor(db, cache, asked);
  const rows: AffectedRow[] = [];
  queries.forEach((query, index) => {
    const stored = answers.get(keys[index] as string) ?? [];
    const entries = answerEntries(
      stored,
      judging?.versions[index] ?? null,
      judging?.resolve ?? defaultSchemes,
    );
    for (const entry of entries) rows.push(toAffectedRow(index, entry, query.version ?? null));
  });
  return withCveSeverities(db, rows);
}

/** Held answers of the current generation, the others looked up; all again if a write committed between. */
async function answersFor(
  db: Database,
  cache: PackageCache,
  asked: ReadonlyMap<string, AskedPackage>,
): Promise<Map<string, CachedRow[]>> {
  const [current] = await db.query<{ generation: string }>(PACKAGES_GENERATION);
  const answers = new Map<string, CachedRow[]>();
  const missing = new Map<string, AskedPackage>();
  for (const [key, one] of asked) {
    const held = current && cache.answerAt(one.base, one.name, one.release, current.generation);
    if (held) answers.set(key, held);
    else missing.set(key, one);
  }
  if (missing.size === 0) return answers;
  const looked = await lookUp(db, cache, missing);
  if (looked.generation === current?.generation) return new Map([...answers, ...looked.answers]);
  return answers.size === 0 ? looked.answers : (await lookUp(db, cache, asked)).answers;
}

interface LookupRow {
  asked: string | null;
  release: string;
  revision: string;
  entries: string | null;
  generation: string | null;
}

async function lookUp(
  db: Database,
  cache: PackageCache,
  asked: ReadonlyMap<string, AskedPackage>,
): Promise<{ generation: string | null; answers: Map<string, CachedRow[]> }> {
  const packages = [...asked.entries()];
  // What the cache holds now, by revision: concurrent lookups may replace or drop these meanwhile.
  const held = new Map<string, CachedRow>();
  for (const [, one] of packages) {
    for (const row of cache.heldRows(one.base, one.name)) held.set(row.revision, row);
  }
  const found = await db.query<LookupRow>(LOOKUP, [
    packages.map(([, one]) => one.base),
    packages.map(([, one]) => one.name),
    packages.map(([, one]) => one.release),
    [...held.keys()],
  ]);
  const generation = found.find((row) => row.asked === null)?.generation ?? null;
  const byAsked = new Map<number, LookupRow[]>();
  for (const row of found) {
    if (row.asked === null) continue;
    const ordinal = Number(row.asked) - 1;
    const rows = byAsked.get(ordinal) ?? [];
    rows.push(row);
    byAsked.set(ordinal, rows);
  }
  const answers = new Map<string, CachedRow[]>();
  packages.forEach(([key, one], ordinal) => {
    answers.set(key, cache.settle(one, generation ?? '', byAsked.get(ordinal) ?? [], held));
  });
  return { generation, answers };
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
