export {
  createSecretScanner,
  DEFAULT_SECRET_MAX_FILE_BYTES,
  SECRET_SCANNER_VERSION,
} from './secret-scanner.js';
export type { SecretScanner, SecretScannerOptions } from './secret-scanner.js';
export { LayerSecretScan } from './layer-secret-scan.js';
export type { SecretEntryInfo } from './layer-secret-scan.js';
export { stackSecrets } from './image-secrets.js';
export type { SecretLayer } from './image-secrets.js';
export { defaultRules } from './rules/index.js';
export type { RawMatch, SecretRule } from './rule.js';
export { redact } from './redact.js';
