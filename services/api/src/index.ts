export { createApiApp } from './app.js';
export { DEFAULT_TUNING } from './api-context.js';
export type { ApiDeps, ApiTuning } from './api-context.js';
export { CONTRACT_PATH } from './contract/load-contract.js';
export { HTTP_STATUS_OF_CODE } from './http-errors.js';
export type { ApiErrorCode } from './http-errors.js';
export { startApiService } from './start-service.js';
export type { ApiService, ApiServiceDeps } from './start-service.js';
