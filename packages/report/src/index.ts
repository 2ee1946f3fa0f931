export { toInventoryDocument } from './inventory-document.js';
export type { IdentifiedInventory, InventoryDocument } from './inventory-document.js';
export { renderInventoryTable } from './inventory-table.js';
export { incompleteBanner } from './incomplete-banner.js';
export { renderTable } from './table.js';
export { toScanDocument, isScanDocument } from './scan-document.js';
export type { ReportedFinding, ScanDocument, ScanMeta, ScanResult } from './scan-document.js';
export { isVexSuppressed, type FindingVex } from './finding-vex.js';
export { toVulnerabilityData } from './vulnerability-data.js';
export type { VulnerabilityData, VulnerabilitySource } from './vulnerability-data.js';
export { filterFindings, parseSeverities } from './filter-findings.js';
export type { FindingFilter } from './filter-findings.js';
export { compareFindings, sortFindings } from './finding-order.js';
export { renderScanTable } from './scan-table.js';
export { withConfigFindings } from './config-findings.js';
export { renderLicenseSection } from './license-table.js';
export { removalNote, renderSecretsTable, toSecretsSection } from './secrets-section.js';
export type { SecretsSection } from './secrets-section.js';
export { toSarif } from './sarif.js';
export { sarifLevel } from './sarif-level.js';
export { renderCycloneDx, toCycloneDx } from './cyclonedx.js';
export type { CycloneDxOptions } from './cyclonedx.js';
export { renderSpdx, toSpdx } from './spdx.js';
export type { SpdxDocument, SpdxOptions, SpdxPackage, SpdxRelationship } from './spdx.js';
export {
  FORMAT_MEDIA_TYPES,
  parseScanFormat,
  renderSbom,
  renderScan,
  SBOM_FORMATS,
  SCAN_FORMATS,
} from './render-scan.js';
export type { RenderOptions, SbomFormat, ScanFormat } from './render-scan.js';
export { advisoryUrl } from './advisory-link.js';
export type { ToolInfo } from './tool-info.js';
export { InvalidSeverityError, ReportError, reportErrorCodes, UnsupportedFormatError } from './errors.js';
export type { ReportErrorCode } from './errors.js';
