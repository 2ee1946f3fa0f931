export { requestScan } from './request-scan.js';
export { requestRescans } from './request-rescans.js';
export type { RequestedRescans } from './request-rescans.js';
export type { RequestedScan, RequestScanDeps, ScanTarget } from './request-scan.js';
export { admitRegistry, requireRegistry } from './configured-registry.js';
export type { Admission } from './configured-registry.js';
export {
  CALLER_WAITS_TUNING,
  imageName,
  openImageByDigest,
  registryClientOptions,
} from './registry-client.js';
export type { ImageAddress, RegistryClientTuning } from './registry-client.js';
export { createTagResolver } from './resolve-tag.js';
export type { TagResolver } from './resolve-tag.js';
export { runScan } from './run-scan.js';
export type { RunScanDeps, ScanRun } from './run-scan.js';
export type { ScanAttestations } from './attest-scan.js';
export { reportSbomRenderers, SCAN_TOOL } from './sboms.js';
export type { SbomRenderer } from './sboms.js';
export type { ScanLogger } from './logger.js';
export {
  RegistryNotConfiguredError,
  ScanNotFoundError,
  scanErrorCodes,
  TagResolutionError,
} from './errors.js';
