export { cycloneDxCheck, OFFICIAL_SCHEMA_SHA256, sarifSchemaCheck, spdxSchemaCheck } from './json-schemas.js';
export type { SchemaCheck } from './json-schemas.js';
