import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type FakeAuth = 'none' | 'basic' | 'token';

export interface FakeAuthOptions {
  auth: FakeAuth;
  /** username → password. */
  users: Readonly<Record<string, string>>;
  /** Token mode: whether a token requested without credentials may pull. */
  anonymousPull: boolean;
  tokenExpiresIn: number;
  tokenField: 'token' | 'access_token';
  /** The realm advertised in Bearer challenges. */
  realm: string;
}

/** How a request fared: allowed, or the WWW-Authenticate challenge to send with a 401. */
export type AuthVerdict = { allowed: true } | { allowed: false; challenge: string };

interface IssuedToken {
  scopes: Set<string>;
  expiresAt: number;
}

export const FAKE_SERVICE = 'fake-registry';

function basicUser(header: string | undefined, users: Readonly<Record<string, string>>): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return colon > 0 && Object.hasOwn(users, user) && users[user] === password ? user : null;
}

/** The registry's half of Basic and token auth, in the shape CNCF distribution and Docker Hub answer. */
export class FakeAuthority {
  readonly #tokens = new Map<string, IssuedToken>();

  constructor(private readonly options: FakeAuthOptions) {}

  #bearer(scope: string | null, error?: string): string {
    const parts = [`realm="${this.options.realm}"`, `service="${FAKE_SERVICE}"`];
    if (scope) parts.push(`scope="${scope}"`);
    if (error) parts.push(`error="${error}"`);
    return `Bearer ${parts.join(',')}`;
  }

  /** Whether the request may read `scope` (null for the /v2/ ping, which needs any valid credential). */
  check(request: IncomingMessage, scope: string | null): AuthVerdict {
    const header = request.headers.authorization;
    if (this.options.auth === 'none') return { allowed: true };
    if (this.options.auth === 'basic') {
      return basicUser(header, this.options.users) !== null
        ? { allowed: true }
        : { allowed: false, challenge: `Basic realm="${FAKE_SERVICE}"` };
    }
    if (!header?.startsWith('Bearer ')) return { allowed: false, challenge: this.#bearer(scope) };
    const issued = this.#tokens.get(header.slice(7));
    if (issued === undefined || issued.expiresAt <= Date.now()) {
      return { allowed: false, challenge: this.#bearer(scope, 'invalid_token') };
    }
    if (scope !== null && !issued.scopes.has(scope)) {
      return { allowed: false, challenge: this.#bearer(scope, 'insufficient_scope') };
    }
    return { allowed: true };
  }

  /** The token endpoint: 401 for wrong credentials; otherwise a token granting what the caller may have. */
  issue(request: IncomingMessage, url: URL): { status: number; body: unknown } {
    const header = request.headers.authorization;
    const user = basicUser(header, this.options.users);
    if (header !== undefined && user === null)
      return { status: 401, body: { errors: [{ code: 'UNAUTHORIZED' }] } };
    const may = user !== null || this.options.anonymousPull;
    const scopes = new Set(
      may ? url.searchParams.getAll('scope').filter((scope) => scope.endsWith(':pull')) : [],
    );
    const token = randomBytes(16).toString('hex');
    this.#tokens.set(token, { scopes, expiresAt: Date.now() + this.options.tokenExpiresIn * 1000 });
    return {
      status: 200,
      body: {
        [this.options.tokenField]: token,
        expires_in: this.options.tokenExpiresIn,
        issued_at: new Date().toISOString(),
      },
    };
  }

  /** Every token issued so far stops working, as when a registry rotates its signing key. */
  revokeAll(): void {
    this.#tokens.clear();
  }
}
