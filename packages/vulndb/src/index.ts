export { importAdvisories } from './import/import-advisories.js';
export type { ImportOptions } from './import/import-advisories.js';
export { changedCount } from './import/import-report.js';
export type {
  ChangedPackage,
  EcosystemCounts,
  ImportProgress,
  ImportReport,
  ImportResult,
  InvalidRecord,
} from './import/import-report.js';
export { createVulnDbReader, hasAdvisories } from './reader/vulndb-reader.js';
export type { Judging } from './reader/affecting-entries.js';
export type {
  AdvisoryDates,
  AffectedRow,
  EcosystemStatus,
  VulnDbReader,
  VulnDbStatus,
} from './reader/vulndb-reader.js';
export { migrateVulnDb, VULNDB_MIGRATIONS, VULNDB_NAMESPACE } from './schema/migrations.js';
export { evaluateAffected, defaultSchemes } from './ranges/evaluate-affected.js';
export type { AffectedVerdict, SchemeResolver } from './ranges/evaluate-affected.js';
export type { AffectedRange, AffectedRanges, RangeType } from './ranges/affected-ranges.js';
export {
  affectedQueriesFor,
  DISTRO_ECOSYSTEMS,
  distroEcosystem,
  LANGUAGE_ECOSYSTEMS,
} from './ecosystem/distro-ecosystem.js';
export type { AffectedQuery, DistroEcosystem, PackageForQuery } from './ecosystem/distro-ecosystem.js';
export { splitEcosystem, releaseKey } from './ecosystem/ecosystem-name.js';
export type { EcosystemParts } from './ecosystem/ecosystem-name.js';
export { packageNameKey } from './ecosystem/package-name.js';
export { scoreCvss } from './severity/cvss.js';
export type { CvssScore, CvssVersion } from './severity/cvss.js';
export { severityOfRecord, UNKNOWN_SEVERITY } from './severity/severity.js';
export type { AdvisorySeverity } from './severity/severity.js';
export { validateOsvRecord } from './osv/osv-record.js';
export type {
  OsvRecord,
  OsvAffected,
  OsvEvent,
  OsvRange,
  OsvSeverity,
  Validation,
} from './osv/osv-record.js';
export type { S3Options } from './sources/s3-source.js';
export type { HttpSourceOptions } from './sources/http-source.js';
export {
  vulnDbErrorCodes,
  VulnDbError,
  SourceUnreadableError,
  SourceUnsupportedError,
  DownloadFailedError,
  ImportAbortedError,
} from './errors.js';
export type { VulnDbErrorCode } from './errors.js';
export { updateVulnDb } from './update/run-update.js';
export { ecosystemsInUse, ecosystemsOfImages } from './update/ecosystems-in-use.js';
export type { SourceOutcome, UpdateOptions, UpdateProgress, UpdateReport } from './update/run-update.js';
export type { HttpsFilesOptions } from './update/https-files.js';
export {
  ALPINE_SECDB_URL,
  OSV_ECOSYSTEMS,
  OSV_EXPORT_URL,
  MIRROR_SECDB_DIR,
} from './update/known-sources.js';
export { parseModifiedIds } from './update/osv-export.js';
export { readDataStatus } from './state/data-version.js';
export type { DataStatus, DataVersion, SourceCounts, SourceState } from './state/data-version.js';
export { UpdateFailedError, BundleInvalidError } from './errors.js';
export { exportBundle } from './bundle/export-bundle.js';
export { importBundle, looksLikeBundle } from './bundle/import-bundle.js';
export { BUNDLE_ARTIFACT_TYPE, BUNDLE_MEDIA_TYPE } from './bundle/bundle-manifest.js';
export type { BundleManifest } from './bundle/bundle-manifest.js';
export { CVE_LIST_URL, type CveListOutcome } from './update/cve-list.js';
