/**
 * Where to read about a vulnerability. Customs matches OSV records, and osv.dev serves every id it
 * holds, aliases (CVE, GHSA) included, so one address scheme fits all.
 */
export function advisoryUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}
