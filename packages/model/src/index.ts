export { PACKAGE_TYPES, OS_PACKAGE_TYPES } from './package.js';
export type { PackageType, Distro, SourcePackage, FoundPackage, Package, OwnedFiles } from './package.js';
export {
  RATED_SEVERITIES,
  SEVERITIES,
  SEVERITY_SOURCES,
  parseSeverity,
  severityForCvssScore,
  severityRank,
  zeroSeverityCounts,
} from './severity.js';
export type { RatedSeverity, Severity, SeverityCounts, SeveritySource } from './severity.js';
export type { CoveredPackage, Cvss, Finding, PackageRef, UnmatchedPackage } from './finding.js';
export type { ConfigFinding } from './config-finding.js';
export { DEFAULT_SCANNERS, SCANNERS, parseScanners } from './scanners.js';
export type { ScannerName } from './scanners.js';
export { RUNS_AS_ROOT_FINDING_ID } from './image-finding.js';
export type { ImageFinding } from './image-finding.js';
export type { ImageSecretFinding, ImageSecrets, LayerSecrets, SecretFinding, SecretSkips } from './secret.js';
