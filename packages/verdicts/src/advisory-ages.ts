import type { Finding } from '@customs/model';
import type { VulnDbReader } from '@customs/vulndb';

/**
 * When the advisory of each CRITICAL finding was published (else last modified), by finding id: the
 * earliest among the records merged into the finding. For rules with maxCriticalAgeDays only, so
 * other verdicts cost no extra query.
 */
export async function criticalPublishedAt(
  findings: readonly Finding[],
  reader: Pick<VulnDbReader, 'advisoryDates'>,
): Promise<Map<string, Date> | undefined> {
  if (reader.advisoryDates === undefined) return undefined;
  const critical = findings.filter((finding) => finding.severity === 'CRITICAL');
  // `osv:GHSA-…`: the source, then the advisory id as stored.
  const idsOf = (finding: Finding) =>
    finding.advisories.map((advisory) => advisory.slice(advisory.indexOf(':') + 1));
  const dates = await reader.advisoryDates(critical.flatMap(idsOf));
  const publishedAt = new Map<string, Date>();
  for (const finding of critical) {
    for (const id of idsOf(finding)) {
      const known = dates.get(id);
      const date = known && (known.published ?? known.modified);
      const earlier = publishedAt.get(finding.id);
      if (date && (earlier === undefined || date < earlier)) publishedAt.set(finding.id, date);
    }
  }
  return publishedAt;
}
