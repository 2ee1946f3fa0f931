import type { VulnDbReader } from '@customs/vulndb';
import type { Schemas } from './contract-types.js';

/** The vulnerability data as a verdict names it. */
export interface DataVersion {
  /** Opaque; equal versions mean equal data (the newest import's end, and the advisory count). */
  version: string;
  lastImport: Date;
  advisories: number;
}

/** The version as a verdict shows it. */
export function dataVersionBody(data: DataVersion | null): Schemas['VulnerabilityDataVersion'] | null {
  return (
    data && { version: data.version, lastImport: data.lastImport.toISOString(), advisories: data.advisories }
  );
}

export interface DataVersionSource {
  /** The current version (null: nothing was ever imported), as last looked up. */
  current(): Promise<DataVersion | null>;
}

export interface DataVersionOptions {
  /** Least time between lookups; 0 looks up on every call and waits for the answer (tests). */
  pollMs: number;
  /** A monotonic clock in milliseconds. */
  clock(): number;
  onError(error: unknown): void;
}

/**
 * How much longer than a lookup the pause after it is: `status()` counts the whole vulnerability
 * database (about 240 ms at 130,000 advisories), so it may take at most a tenth of one database
 * connection's time, whatever `pollMs` says.
 */
const PAUSE_PER_LOOKUP = 10;

/**
 * The vulnerability database's newest import, looked up when requests come (no timer to stop).
 * Only the first lookup is waited for: after that a request that finds the version older than the
 * poll interval starts a lookup in the background and is answered with the version it has, so no
 * request waits for the database to count its advisories. An import elsewhere therefore shows in
 * verdicts within the interval plus one lookup. A failed lookup keeps the last known version.
 */
export function createDataVersionSource(
  reader: Pick<VulnDbReader, 'status'>,
  options: DataVersionOptions,
): DataVersionSource {
  let known: { value: DataVersion | null; at: number; tookMs: number } | null = null;
  let inFlight: Promise<DataVersion | null> | null = null;

  async function lookUp(): Promise<DataVersion | null> {
    const started = options.clock();
    const status = await reader.status();
    const value = status.lastImport
      ? {
          version: `${status.lastImport.finishedAt.toISOString()}+${status.advisories}`,
          lastImport: status.lastImport.finishedAt,
          advisories: status.advisories,
        }
      : null;
    known = { value, at: options.clock(), tookMs: options.clock() - started };
    return value;
  }

  function refresh(): Promise<DataVersion | null> {
    inFlight ??= lookUp().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    async current() {
      if (known === null || options.pollMs === 0) {
        try {
          return await refresh();
        } catch (error) {
          if (known === null) throw error;
          options.onError(error);
          return known.value;
        }
      }
      const pause = Math.max(options.pollMs, known.tookMs * PAUSE_PER_LOOKUP);
      if (options.clock() - known.at >= pause && inFlight === null) {
        refresh().catch((error: unknown) => {
          if (known !== null) known.at = options.clock();
          options.onError(error);
        });
      }
      return known.value;
    },
  };
}
