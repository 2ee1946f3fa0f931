export { CONFIG_CHECKS, checkImageConfig } from './check-image-config.js';
export type { CheckHit, ConfigCheck } from './config-check.js';
export { redactCreatedBy, redactImageConfig } from './redact-config.js';
