import type { components, operations } from '../../../../openapi/generated/customs.js';

/** Every shape the contract names, as openapi-typescript generated it from openapi/customs.yaml. */
export type Schemas = components['schemas'];
export type OperationId = keyof operations;
export type Operation<Id extends OperationId> = operations[Id];
