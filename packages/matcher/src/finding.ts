import type { PackageType } from '@customs/inventory';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NEGLIGIBLE', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Cvss {
  /** `3.0`, `3.1` or `4.0`. */
  version: string;
  vector: string;
  score: number;
}

/**
 * One vulnerability in one package of one image. Records that are aliases of each other (a GHSA and
 * its CVE, a PYSEC and its GHSA) make one finding: `id` is the name most people search for (the CVE
 * when there is one), `aliases` holds every other name.
 */
export interface Finding {
  id: string;
  aliases: string[];
  summary: string | null;
  severity: Severity;
  cvss: Cvss | null;
  package: { type: PackageType; name: string; version: string; purl: string };
  /** The lowest fixed version above the installed one; null when no fix is known. */
  fixedVersion: string | null;
  layer: string;
  path: string;
  /** Every advisory record that contributed, as `source:id` (e.g. `osv:GHSA-…`). */
  advisories: string[];
}

/** A language package whose file an OS package owns: the distro ships its fixes, so it is not matched upstream. */
export interface CoveredPackage {
  package: { type: PackageType; name: string; version: string; purl: string };
  ownedBy: string;
}

/** A package that could not be judged (unparseable version, unknown ecosystem): reported, never assumed safe. */
export interface UnmatchedPackage {
  package: { type: PackageType; name: string; version: string; purl: string };
  reason: string;
}
