import type { PackageType } from './package.js';
import type { Severity, SeveritySource } from './severity.js';

export interface Cvss {
  /** `2.0`, `3.0`, `3.1` or `4.0`. */
  version: string;
  vector: string;
  score: number;
}

/** A package as findings name it: enough to find it again in the inventory. */
export interface PackageRef {
  type: PackageType;
  name: string;
  version: string;
  purl: string;
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
  /** Who gave `severity`; null when nobody rated the flaw (absent in documents written before it existed). */
  severitySource?: SeveritySource | null;
  cvss: Cvss | null;
  package: PackageRef;
  /** The lowest fixed version above the installed one; null when no fix is known. */
  fixedVersion: string | null;
  layer: string;
  path: string;
  /** Every advisory record that contributed, as `source:id` (e.g. `osv:GHSA-…`). */
  advisories: string[];
}

/** A language package whose file an OS package owns: the distro ships its fixes, so it is not matched upstream. */
export interface CoveredPackage {
  package: PackageRef;
  ownedBy: string;
}

/** A package that could not be judged (unparseable version, unknown ecosystem): reported, never assumed safe. */
export interface UnmatchedPackage {
  package: PackageRef;
  reason: string;
}
