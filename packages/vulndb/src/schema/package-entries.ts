/**
 * The JSON one vulndb_packages row holds per affected entry: everything a finding needs, with the
 * entry's own severity or else its record's. Shared by the migration that creates the table and the
 * import that keeps it current, so both build exactly the same text.
 */
export const PACKAGE_ENTRIES_SELECT = `
select a.ecosystem_base, a.name_key, coalesce(a.release_key, '') as release_key,
       jsonb_agg(jsonb_build_object(
         'advisoryId', a.advisory_id,
         'aliases', v.aliases,
         'upstream', v.upstream,
         'summary', v.summary,
         'modified', v.modified,
         'severity', coalesce(a.severity, jsonb_build_object(
           'rating', v.severity_rating, 'score', v.severity_score,
           'vector', v.severity_vector, 'source', v.severity_source)),
         'ecosystem', a.ecosystem,
         'releaseKey', a.release_key,
         'packageName', a.package_name,
         'purl', a.purl,
         'ranges', a.ranges,
         'versions', coalesce(a.versions_extra, a.versions)
       ) order by a.advisory_id, a.ordinal)::text as entries
  from vulndb_affected a
  join vulndb_advisories v on v.id = a.advisory_id`;

/** Entries without a release are kept under '' (a primary key column cannot be null). */
export const PACKAGE_ENTRIES_GROUP = `group by a.ecosystem_base, a.name_key, coalesce(a.release_key, '')`;

/** The shape of one element of vulndb_packages.entries. */
import type { AffectedRange } from '../ranges/affected-ranges.js';

export interface PackageEntry {
  advisoryId: string;
  aliases: string[];
  /** OSV 1.7 `upstream`: the records this one is derived from (a DLA's CVEs). */
  upstream?: string[];
  summary: string | null;
  modified: string;
  severity: { rating: string; score: number | null; vector: string | null; source: string };
  ecosystem: string;
  releaseKey: string | null;
  packageName: string;
  purl: string | null;
  ranges: AffectedRange[];
  /** Listed versions the ranges do not already cover. */
  versions: string[];
}
