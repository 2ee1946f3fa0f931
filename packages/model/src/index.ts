export { PACKAGE_TYPES, OS_PACKAGE_TYPES } from './package.js';
export type { PackageType, Distro, SourcePackage, FoundPackage, Package, OwnedFiles } from './package.js';
export {
  RATED_SEVERITIES,
  SEVERITIES,
  parseSeverity,
  severityForCvssScore,
  severityRank,
  zeroSeverityCounts,
} from './severity.js';
export type { RatedSeverity, Severity, SeverityCounts } from './severity.js';
export type { CoveredPackage, Cvss, Finding, PackageRef, UnmatchedPackage } from './finding.js';
export { DEFAULT_SCANNERS, SCANNERS, parseScanners } from './scanners.js';
export type { ScannerName } from './scanners.js';
export type { ImageSecretFinding, ImageSecrets, LayerSecrets, SecretFinding, SecretSkips } from './secret.js';
