import type { components } from '../../../openapi/generated/customs.js';

/** The verdict shapes the API contract names (openapi/customs.yaml), as openapi-typescript generated them. */
export type Schemas = components['schemas'];
