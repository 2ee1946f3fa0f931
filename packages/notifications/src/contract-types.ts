import type { components } from '../../../openapi/generated/customs.js';

/** The event, subscription and delivery shapes the API contract names (openapi/customs.yaml). */
export type Schemas = components['schemas'];
