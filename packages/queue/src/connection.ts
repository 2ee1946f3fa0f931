import { Redis } from 'ioredis';

/**
 * A Redis connection as BullMQ wants it: workers block on Redis, so commands must wait for a
 * reconnect rather than fail after a few retries (maxRetriesPerRequest: null). `onError` hears each
 * failed reconnect (log it); commands wait meanwhile.
 */
export function createRedisConnection(url: string, onError: (error: Error) => void = () => undefined): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  // ioredis reconnects by itself; without a listener every failed attempt is printed as "unhandled".
  connection.on('error', onError);
  return connection;
}
