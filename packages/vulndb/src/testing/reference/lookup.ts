// Reference for match-differential.test: the lookup as shipped before the reader cached rows (commit
// 2505a05): every row's text read and parsed on every call. Not used by shipped code.
import type { Database } from '@customs/db';
import { parseSeverity } from '@customs/model';
import type { AffectedQuery } from '../../ecosystem/distro-ecosystem.js';
import type { AffectedRow } from '../../reader/vulndb-reader.js';
import type { PackageEntry } from '../../schema/package-entries.js';

const LOOKUP = `
select p.ecosystem_base as base, p.name_key as name, p.release_key as release, p.entries
  from unnest($1::text[], $2::text[], $3::text[]) as q(base, name, release)
  join vulndb_packages p on p.ecosystem_base = q.base and p.name_key = q.name
   and (q.release is null or p.release_key = q.release or p.release_key = '')`;

export async function affectedFor(db: Database, queries: readonly AffectedQuery[]): Promise<AffectedRow[]> {
  const asked = new Map<string, AffectedQuery>();
  for (const query of queries) asked.set(lookupKey(query.ecosystemBase, query.name, query.release), query);
  if (asked.size === 0) return [];
  const distinct = [...asked.values()];
  const found = await db.query<{ base: string; name: string; release: string; entries: string }>(LOOKUP, [
    distinct.map((query) => query.ecosystemBase),
    distinct.map((query) => query.name),
    distinct.map((query) => query.release),
  ]);
  const byPackage = new Map<string, Array<{ release: string; entries: PackageEntry[] }>>();
  for (const row of found) {
    const key = lookupKey(row.base, row.name, null);
    const list = byPackage.get(key) ?? [];
    if (!list.some((known) => known.release === row.release))
      list.push({ release: row.release, entries: parseEntries(row.entries) });
    byPackage.set(key, list);
  }
  const rows: AffectedRow[] = [];
  queries.forEach((query, index) => {
    const stored = byPackage.get(lookupKey(query.ecosystemBase, query.name, null)) ?? [];
    const entries = stored
      .filter((group) => query.release === null || group.release === '' || group.release === query.release)
      .flatMap((group) => group.entries)
      .sort(byAdvisory);
    for (const entry of entries) rows.push(toAffectedRow(index, entry, query.version ?? null));
  });
  return rows;
}

function byAdvisory(a: PackageEntry, b: PackageEntry): number {
  return a.advisoryId < b.advisoryId ? -1 : a.advisoryId > b.advisoryId ? 1 : 0;
}

function lookupKey(base: string, name: string, release: string | null): string {
  return `${base}\u0000${name}\u0000${release ?? ''}`;
}

function parseEntries(text: string): PackageEntry[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : [];
}

function toAffectedRow(query: number, entry: PackageEntry, version: string | null): AffectedRow {
  const rating = parseSeverity(entry.severity.rating) ?? 'UNKNOWN';
  return {
    query,
    advisoryId: entry.advisoryId,
    aliases: entry.aliases,
    upstream: entry.upstream ?? [],
    summary: entry.summary,
    modified: new Date(entry.modified),
    severity: { ...entry.severity, rating },
    severitySource: rating === 'UNKNOWN' ? null : 'osv',
    ecosystem: entry.ecosystem,
    packageName: entry.packageName,
    purl: entry.purl,
    ranges: entry.ranges,
    versions: version === null ? entry.versions : entry.versions.includes(version) ? [version] : [],
  };
}
