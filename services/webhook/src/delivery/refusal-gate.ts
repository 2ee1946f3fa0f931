/**
 * How many refused (unauthenticated) requests each source address may have recorded per minute.
 * Fixed one-minute windows, forgotten as each minute ends, so memory is bounded by the addresses
 * seen in one minute, and at most `maxAddresses` of those: past that every new address counts as over
 * the limit, which costs a forger nothing it did not already lack.
 */
export interface RefusalGate {
  /** Counts one refusal from `address`; false once the address is over its limit this minute. */
  admit(address: string | null): boolean;
}

export function createRefusalGate(options: {
  perMinute: number;
  now?: () => number;
  maxAddresses?: number;
}): RefusalGate {
  const now = options.now ?? Date.now;
  const maxAddresses = options.maxAddresses ?? 10_000;
  let minute = -1;
  const counts = new Map<string, number>();
  return {
    admit(address) {
      const current = Math.floor(now() / 60_000);
      if (current !== minute) {
        minute = current;
        counts.clear();
      }
      const key = address ?? 'unknown';
      const seen = counts.get(key);
      if (seen === undefined && counts.size >= maxAddresses) return false;
      const count = (seen ?? 0) + 1;
      counts.set(key, count);
      return count <= options.perMinute;
    },
  };
}
