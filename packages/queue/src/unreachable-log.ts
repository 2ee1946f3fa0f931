/** ioredis's default reconnect delay grows to this; a longer outage fails one attempt per interval. */
export const REDIS_RETRY_INTERVAL_MS = 2_000;

/**
 * While Redis is down every connection of a process (producers, each worker's blocking client, the
 * BullMQ workers themselves) fails on every reconnect. The returned listener takes all those failures
 * and reports one of them per interval, with how many it stands for, so an outage is one log line per
 * retry instead of hundreds.
 */
export function reportRedisFailures(
  report: (error: Error, failures: number) => void,
  options: { intervalMs?: number; now?: () => number } = {},
): (error: Error) => void {
  const intervalMs = options.intervalMs ?? REDIS_RETRY_INTERVAL_MS;
  const now = options.now ?? Date.now;
  let last = -Infinity;
  let failures = 0;
  return (error) => {
    failures += 1;
    if (now() - last < intervalMs) return;
    last = now();
    report(error, failures);
    failures = 0;
  };
}
