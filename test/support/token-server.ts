import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

// The Bearer-token flow of Docker Hub, GHCR and Harbor, for CNCF distribution's `auth.token`: an RS256
// JWT carrying its signing certificate in `x5c`, which the registry checks against `rootcertbundle`.
// Adapted from the e2e recipe's registry-token-server.js; runs inside the test process.

export interface TokenRequest {
  account: string | null;
  scopes: string[];
  outcome: 'granted' | 'anonymous' | 'denied';
}

export interface TokenServer {
  /** The `realm` the registry sends clients to. */
  realm: string;
  issuer: string;
  service: string;
  requests: TokenRequest[];
  close(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenServerOptions {
  keyFile: string;
  certFile: string;
  username: string;
  password: string;
  issuer?: string;
  service?: string;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const issuer = options.issuer ?? 'customs-e2e-token-issuer';
  const service = options.service ?? 'customs-e2e-registry';
  const key = createPrivateKey(readFileSync(options.keyFile));
  const certificate = new X509Certificate(readFileSync(options.certFile)).raw.toString('base64');
  const requests: TokenRequest[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token') return reply(res, 404, { errors: [{ code: 'NOT_FOUND' }] });
    const scopes = url.searchParams.getAll('scope').flatMap((scope) => scope.split(' ').filter(Boolean));
    const credentials = basicCredentials(req);
    if (credentials && (credentials.user !== options.username || credentials.password !== options.password)) {
      requests.push({ account: credentials.user, scopes, outcome: 'denied' });
      res.setHeader('www-authenticate', 'Basic realm="customs-e2e-token"');
      return reply(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
    }
    // Anonymous callers get a token with no access; the registry then answers insufficient_scope.
    const access = credentials ? scopes.map(parseScope) : [];
    requests.push({
      account: credentials?.user ?? null,
      scopes,
      outcome: credentials ? 'granted' : 'anonymous',
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: credentials?.user ?? '',
      aud: url.searchParams.get('service') ?? '',
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const token = signJwt(claims, key, certificate);
    reply(res, 200, {
      token,
      access_token: token,
      expires_in: 300,
      issued_at: new Date(now * 1000).toISOString(),
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref(); // a test that forgets close() must not keep the test process alive
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('token server: no TCP address');
  const { port } = address;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    issuer,
    service,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function signJwt(claims: object, key: KeyObject, certificate: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ typ: 'JWT', alg: 'RS256', x5c: [certificate] })}.${encode(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

/** `repository:demo/app:pull,push` → type, name (which may contain colons), actions. */
function parseScope(scope: string): Access {
  const parts = scope.split(':');
  const actions = (parts.pop() ?? '').split(',').filter(Boolean);
  const type = parts.shift() ?? '';
  return { type, name: parts.join(':'), actions };
}

function basicCredentials(req: IncomingMessage): { user: string; password: string } | null {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
