export { ConfigError, loadServiceConfig } from './load-config.js';
export type {
  AdmissionConfig,
  HarborConfig,
  LoadConfigOptions,
  ResolvedWebhooks,
  ServiceConfig,
} from './load-config.js';
export { canonicalHost, findRegistry } from './registries.js';
export type { RegistryConfig } from './registries.js';
export { ADMISSION_MODES, serviceConfigSchema } from './schema.js';
export type { ServiceConfigInput } from './schema.js';
export { createServiceLogger, SECRET_LOG_PATHS } from './service-logger.js';
export type { ServiceLogOptions } from './service-logger.js';
