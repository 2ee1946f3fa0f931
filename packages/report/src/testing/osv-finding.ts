import { readFileSync } from 'node:fs';
import type { Cvss, Finding, Package } from '@customs/model';
import { severityOfRecord, validateOsvRecord } from '@customs/vulndb';
import { FIXTURES } from './fixture-image.js';

/**
 * A finding as the matcher makes one from a real OSV record under test/fixtures/report/osv: the
 * CVE alias as id, the other names as aliases, the record's summary, severity and CVSS (rated by
 * @customs/vulndb as the matcher rates them), placed on an inventory package. The fixed version is
 * the caller's reading of the record's range for that package.
 */
export function findingFromOsv(recordPath: string, pkg: Package, fixedVersion: string | null): Finding {
  const validation = validateOsvRecord(
    JSON.parse(readFileSync(`${FIXTURES}report/osv/${recordPath}`, 'utf8')),
  );
  if (!validation.ok) throw new Error(`${recordPath}: ${validation.problem}`);
  const { record } = validation;
  if (!record.affected?.some((entry) => entry.package?.name === pkg.name)) {
    throw new Error(`${record.id} does not name ${pkg.name}`);
  }
  const names = [...new Set([record.id, ...(record.aliases ?? [])])].sort();
  const id = names.find((name) => name.startsWith('CVE-')) ?? record.id;
  const rated = severityOfRecord(record);
  return {
    id,
    aliases: names.filter((name) => name !== id),
    summary: record.summary ?? null,
    severity: rated.rating,
    severitySource: rated.rating === 'UNKNOWN' ? null : 'osv',
    cvss: cvssOf(rated.score, rated.vector),
    package: { type: pkg.type, name: pkg.name, version: pkg.version, purl: pkg.purl },
    fixedVersion,
    layer: pkg.layer,
    path: pkg.path,
    advisories: [`osv:${record.id}`],
  };
}

function cvssOf(score: number | null, vector: string | null): Cvss | null {
  if (score === null || vector === null) return null;
  return { version: /^CVSS:(\d\.\d)\//.exec(vector)?.[1] ?? '2.0', vector, score };
}
