import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '@customs/db';
import { TokenFormatError, TokenRepositoriesError, TokenScopeError } from './errors.js';

export const TOKEN_SCOPES = ['verdicts:read', 'scans:write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface TokenInfo {
  id: string;
  name: string;
  scopes: TokenScope[];
  /** Repository globs the token may read and scan (`team-a/**`); null: every repository. */
  repositories: string[] | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface TokenStore {
  /** A new token: the secret is returned once and only its hash is stored. */
  create(
    name: string,
    scopes: readonly string[],
    repositories?: readonly string[] | null,
  ): Promise<{ token: string; info: TokenInfo }>;
  /**
   * Makes sure an operator-chosen token (CUSTOMS_ADMIN_TOKEN) exists with these scopes: how the first
   * admin gets in. Idempotent; a revoked one stays revoked.
   */
  ensure(name: string, token: string, scopes: readonly string[]): Promise<TokenInfo>;
  /** The token's identity, or null when unknown or revoked. */
  verify(token: string): Promise<TokenInfo | null>;
  list(): Promise<TokenInfo[]>;
  revoke(id: string): Promise<boolean>;
}

const PREFIX = 'cst_';

/**
 * Tokens are 32 random bytes, so a plain SHA-256 is enough to store them: unlike passwords there is no
 * dictionary to try, and verification stays fast enough for thousands of verdict requests a second.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function parseScopes(scopes: readonly string[]): TokenScope[] {
  return scopes.map((scope) => {
    const known = TOKEN_SCOPES.find((candidate) => candidate === scope);
    if (!known) throw new TokenScopeError(scope);
    return known;
  });
}

/** Repository globs for a token: none for admin, and never an empty list (that would read as "all"). */
export function parseRepositories(
  scopes: readonly TokenScope[],
  repositories: readonly string[] | null | undefined,
): string[] | null {
  if (repositories === null || repositories === undefined) return null;
  if (repositories.length === 0) throw new TokenRepositoriesError('the list is empty');
  if (scopes.includes('admin')) throw new TokenRepositoriesError('the token has the admin scope');
  const blank = repositories.find((glob) => glob.trim() === '' || /\s/.test(glob));
  if (blank !== undefined) throw new TokenRepositoriesError(`"${blank}" is not a repository glob`);
  return [...repositories];
}

interface TokenRow {
  id: string;
  name: string;
  scopes: TokenScope[];
  repositories: string[] | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export function createTokenStore(db: Database): TokenStore {
  return {
    async create(name, scopes, repositories) {
      const parsed = parseScopes(scopes);
      const globs = parseRepositories(parsed, repositories);
      const token = PREFIX + randomBytes(32).toString('base64url');
      const [row] = await db.query<TokenRow>(
        `insert into api_tokens (id, name, token_hash, scopes, repositories)
         values ($1, $2, $3, $4::text[], $5::text[]) returning *`,
        [randomUUID(), name, hashToken(token), parsed, globs],
      );
      return { token, info: toInfo(row as TokenRow) };
    },
    async ensure(name, token, scopes) {
      if (!token.startsWith(PREFIX) || token.length < PREFIX.length + 32) throw new TokenFormatError();
      const parsed = parseScopes(scopes);
      await db.query(
        `insert into api_tokens (id, name, token_hash, scopes) values ($1, $2, $3, $4::text[])
         on conflict (token_hash) do nothing`,
        [randomUUID(), name, hashToken(token), parsed],
      );
      const [row] = await db.query<TokenRow>('select * from api_tokens where token_hash = $1', [
        hashToken(token),
      ]);
      return toInfo(row as TokenRow);
    },
    async verify(token) {
      if (!token.startsWith(PREFIX)) return null;
      const [row] = await db.query<TokenRow>(
        `update api_tokens set last_used_at = now() where token_hash = $1 and revoked_at is null returning *`,
        [hashToken(token)],
      );
      return row ? toInfo(row) : null;
    },
    async list() {
      return (await db.query<TokenRow>('select * from api_tokens order by created_at')).map(toInfo);
    },
    async revoke(id) {
      const rows = await db.query(
        'update api_tokens set revoked_at = now() where id = $1 and revoked_at is null returning id',
        [id],
      );
      return rows.length > 0;
    },
  };
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    repositories: row.repositories,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
