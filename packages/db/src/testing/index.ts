export { createTestPostgres, DEFAULT_TEST_SERVER } from './test-postgres.js';
export type { TestPostgres } from './test-postgres.js';
export { startThrowawayCluster } from './throwaway-cluster.js';
export type { ThrowawayCluster } from './throwaway-cluster.js';
