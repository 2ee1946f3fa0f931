export { startThrowawayRedis } from './throwaway-redis.js';
export type { ThrowawayRedis } from './throwaway-redis.js';
