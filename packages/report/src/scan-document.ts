import type { ConfigFinding, CoveredPackage, Finding, UnmatchedPackage } from '@customs/model';
import { filterFindings, type FindingFilter } from './filter-findings.js';
import type { FindingVex } from './finding-vex.js';
import { compareText, sortFindings } from './finding-order.js';
import type { InventoryDocument } from './inventory-document.js';
import type { VulnerabilityData } from './vulnerability-data.js';

/**
 * The `customs scan --format json` document and the API's scan report: the inventory document plus
 * what the vulnerability data says about it. A stable contract scripts depend on.
 */
export interface ScanDocument extends InventoryDocument {
  /** Most severe first, then by package and id; `vex` when a VEX statement (`--vex`) applies. */
  findings: ReportedFinding[];
  /** Language packages an OS package owns: the distro ships their fixes, so they were not matched upstream. */
  coveredByOsPackages: CoveredPackage[];
  /** Packages that could not be judged, with the reason: never assumed safe. */
  unmatched: UnmatchedPackage[];
  vulnerabilityData: VulnerabilityData;
  /** Image configuration and history findings, most severe first; absent when the config scanner did not run. */
  configFindings?: ConfigFinding[];
}

export interface ReportedFinding extends Finding {
  vex?: FindingVex;
}

/** What the matcher hands back (its MatchResult fits). */
export interface ScanResult {
  findings: readonly Finding[];
  covered: readonly CoveredPackage[];
  unmatched: readonly UnmatchedPackage[];
  /** Whole-image problems of matching (an unsupported distro), shown with the inventory's warnings. */
  warnings?: readonly string[];
}

export interface ScanMeta {
  vulnerabilityData: VulnerabilityData;
  /** `--severity` / `--ignore-unfixed`; the document then holds only what passed. */
  filter?: FindingFilter;
  /** The VEX statement that applies to a finding, if any. */
  vexOf?: (finding: Finding) => FindingVex | null;
}

export function toScanDocument(
  inventory: InventoryDocument,
  result: ScanResult,
  meta: ScanMeta,
): ScanDocument {
  const findings = sortFindings(filterFindings(result.findings, meta.filter)).map((finding) =>
    withVex(copyFinding(finding), meta.vexOf?.(finding) ?? null),
  );
  return {
    ...inventory,
    warnings: [...new Set([...inventory.warnings, ...(result.warnings ?? [])])],
    findings,
    coveredByOsPackages: [...result.covered]
      .sort((a, b) => comparePackages(a.package, b.package))
      .map(({ package: pkg, ownedBy }) => ({ package: { ...pkg }, ownedBy })),
    unmatched: [...result.unmatched]
      .sort((a, b) => comparePackages(a.package, b.package))
      .map(({ package: pkg, reason }) => ({ package: { ...pkg }, reason })),
    vulnerabilityData: meta.vulnerabilityData,
  };
}

/** True for a document with vulnerability results; an inventory document alone is an SBOM. */
export function isScanDocument(document: InventoryDocument | ScanDocument): document is ScanDocument {
  return 'findings' in document;
}

function withVex(finding: Finding, vex: FindingVex | null): ReportedFinding {
  return vex === null ? finding : { ...finding, vex: { ...vex } };
}

/** Field by field, so the JSON keeps its documented order and nothing else leaks in. */
function copyFinding(finding: Finding): Finding {
  return {
    id: finding.id,
    aliases: [...finding.aliases],
    summary: finding.summary,
    severity: finding.severity,
    severitySource: finding.severitySource ?? null,
    cvss: finding.cvss && {
      version: finding.cvss.version,
      vector: finding.cvss.vector,
      score: finding.cvss.score,
    },
    package: { ...finding.package },
    fixedVersion: finding.fixedVersion,
    layer: finding.layer,
    path: finding.path,
    advisories: [...finding.advisories],
  };
}

function comparePackages(a: Finding['package'], b: Finding['package']): number {
  return compareText(a.name, b.name) || compareText(a.version, b.version) || compareText(a.purl, b.purl);
}
