import { createHash } from 'node:crypto';

/** A body serialised once: its JSON, the bytes sent, and a strong ETag of those bytes. */
export interface Serialised {
  json: string;
  bytes: Buffer;
  /** Quoted, as the ETag header carries it. */
  etag: string;
}

export function serialise(value: unknown): Serialised {
  const json = JSON.stringify(value);
  const bytes = Buffer.from(json);
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  return { json, bytes, etag };
}

/** A cached verdict: the object, its bytes as sent, and when it stops being usable. */
export interface CachedVerdict<T> extends Serialised {
  value: T;
  dataVersion: string | null;
  /** The policy version it was judged under (a reloaded policy file has another). */
  policyVersion: string;
  /** Monotonic ms: the entry's time to live. */
  expiresAt: number;
  /** Wall-clock ms: when an ignore entry the verdict relied on expires (Infinity: none). */
  validUntil: number;
}

/**
 * Verdicts by digest, valid for one vulnerability-data version and one policy version: (digest,
 * policy version, data version) → the same verdict. Bounded: past `maxEntries` the oldest entry goes.
 */
export class VerdictCache<T> {
  readonly #entries = new Map<string, CachedVerdict<T>>();

  constructor(private readonly maxEntries: number) {}

  get(
    digest: string,
    versions: { data: string | null; policy: string },
    monotonicNow: number,
    wallNow: number,
  ): CachedVerdict<T> | null {
    const entry = this.#entries.get(digest);
    if (entry === undefined) return null;
    const stale = entry.dataVersion !== versions.data || entry.policyVersion !== versions.policy;
    if (stale || entry.expiresAt <= monotonicNow || entry.validUntil <= wallNow) {
      this.#entries.delete(digest);
      return null;
    }
    return entry;
  }

  set(digest: string, entry: CachedVerdict<T>): void {
    this.#entries.delete(digest);
    this.#entries.set(digest, entry);
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value ?? '');
  }

  forget(digest: string): void {
    this.#entries.delete(digest);
  }

  get size(): number {
    return this.#entries.size;
  }
}
