import type { TokenInfo, TokenStore } from '@customs/store';
import { ScopeMissingError, UnauthenticatedError } from '../errors.js';

export interface TokenAuthOptions {
  /** How long a lookup (found or not) is believed; a revocation elsewhere takes this long to bite. */
  cacheMs: number;
  /** Most lookups kept; beyond it the oldest go (a flood of made-up tokens must not grow memory). */
  maxEntries: number;
  /** A monotonic clock in milliseconds. */
  clock(): number;
}

export interface TokenAuth {
  /** The token's identity, or UNAUTHENTICATED. */
  authenticate(authorization: string | undefined): Promise<TokenInfo>;
  /** Forgets a revoked token at once in this process. */
  forget(tokenId: string): void;
}

interface Lookup {
  info: TokenInfo | null;
  until: number;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Bearer tokens checked against the hashed tokens in the store, each lookup remembered for
 * `cacheMs`: thousands of verdict requests a second make one store lookup per token per interval,
 * and the store's `last_used_at` is written no more often than that (verify writes it).
 */
export function createTokenAuth(tokens: Pick<TokenStore, 'verify'>, options: TokenAuthOptions): TokenAuth {
  const lookups = new Map<string, Lookup>();
  const inFlight = new Map<string, Promise<TokenInfo | null>>();

  async function lookup(token: string): Promise<TokenInfo | null> {
    // Keyed by the token itself, which the request already holds in memory: a sha256 per request
    // was a twentieth of the API's CPU at verdict rates. The store keeps only the hash.
    const key = token;
    const known = lookups.get(key);
    if (known && known.until > options.clock()) return known.info;
    const pending = inFlight.get(key) ?? tokens.verify(token);
    inFlight.set(key, pending);
    try {
      const info = await pending;
      lookups.delete(key);
      lookups.set(key, { info, until: options.clock() + options.cacheMs });
      if (lookups.size > options.maxEntries) lookups.delete(lookups.keys().next().value ?? '');
      return info;
    } finally {
      inFlight.delete(key);
    }
  }

  return {
    async authenticate(authorization) {
      const token = BEARER.exec(authorization ?? '')?.[1];
      const info = token === undefined ? null : await lookup(token);
      if (info === null) throw new UnauthenticatedError();
      return info;
    },
    forget(tokenId) {
      for (const [key, known] of lookups) if (known.info?.id === tokenId) lookups.delete(key);
    },
  };
}

/** `admin` may do anything; any other scope only what it names. One of `scopes` is enough. */
export function requireScope(info: TokenInfo, scopes: readonly string[]): void {
  if (!scopes.some((scope) => hasScope(info, scope))) throw new ScopeMissingError(scopes);
}

export function hasScope(info: TokenInfo, scope: string): boolean {
  return info.scopes.some((granted) => granted === 'admin' || granted === scope);
}
