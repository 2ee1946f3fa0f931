/**
 * The work's result, or `timeout()`'s error once `ms` have passed. Redis commands wait for a
 * reconnect rather than fail (BullMQ needs that), so every call the API makes to Redis has a deadline.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
