/** A bearer token and the instant (ms since the epoch) after which it must not be used. */
export interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Tokens are renewed this long before they expire, so one does not lapse between check and use. */
const RENEW_BEFORE_MS = 5_000;

/** Bearer tokens per (registry, scope): one token endpoint round trip per scope, not per request. */
export class TokenCache {
  readonly #tokens = new Map<string, CachedToken>();

  static key(registry: string, scope: string): string {
    return `${registry}\n${scope}`;
  }

  /** The cached token, unless it expires within the renewal margin of `now`. */
  get(registry: string, scope: string, now: number): CachedToken | null {
    const key = TokenCache.key(registry, scope);
    const cached = this.#tokens.get(key);
    if (cached === undefined) return null;
    if (cached.expiresAt - RENEW_BEFORE_MS <= now) {
      this.#tokens.delete(key);
      return null;
    }
    return cached;
  }

  set(registry: string, scope: string, token: CachedToken): void {
    this.#tokens.set(TokenCache.key(registry, scope), token);
  }

  /** Forgets the token, if it is still the one given (a newer one fetched meanwhile is kept). */
  invalidate(registry: string, scope: string, token?: string): void {
    const key = TokenCache.key(registry, scope);
    if (token === undefined || this.#tokens.get(key)?.token === token) this.#tokens.delete(key);
  }
}
