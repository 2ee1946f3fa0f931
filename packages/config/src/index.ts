export { ConfigError, loadServiceConfig } from './load-config.js';
export type { LoadConfigOptions, RegistryConfig, ResolvedWebhooks, ServiceConfig } from './load-config.js';
export { canonicalHost, findRegistry } from './registries.js';
export { serviceConfigSchema } from './schema.js';
export type { ServiceConfigInput } from './schema.js';
