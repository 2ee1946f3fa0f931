import { request } from 'node:http';
import type { ServerControl } from '@customs/db';
import { CustomsError, isErrorCode } from '@customs/errors';
import { parseRepositories, parseScopes, type TokenInfo, type TokenStore } from '@customs/store';
import type { DataStatus, ImportReport, UpdateReport, VulnDbStatus } from '@customs/vulndb';
import type { components } from '../../../../openapi/generated/customs.js';
import { ServerAnswerInvalidError, ServerUnreachableError } from './errors.js';

type Schemas = components['schemas'];

/**
 * What the CLI asks a running `customs serve` for, in the shapes the direct database path returns,
 * so a command prints the same lines whichever way it went.
 */
export interface ServerClient {
  readonly control: ServerControl;
  tokens: Pick<TokenStore, 'create' | 'list' | 'revoke'>;
  importAdvisories(source: string, options: { allowLoopbackHttp: boolean }): Promise<ImportReport>;
  /** `customs db update` run by the server: the settings the CLI resolved, paths made absolute. */
  updateVulnDb(request: Schemas['UpdateRequest']): Promise<UpdateReport>;
  /** What `customs db status` prints: advisories per ecosystem, the data version and update sources. */
  vulnDbStatus(): Promise<{ status: VulnDbStatus; data: DataStatus }>;
}

export function createServerClient(control: ServerControl): ServerClient {
  const call = (method: string, path: string, body?: unknown) => callServer(control, method, path, body);
  return {
    control,
    tokens: {
      async create(name, scopes, repositories) {
        // The same errors as the direct path for an unknown scope or bad globs, before the contract's terser ones.
        const checked = parseScopes(scopes);
        const globs = parseRepositories(checked, repositories);
        const created = (await call('POST', '/v1/tokens', {
          name,
          scopes: checked,
          ...(globs !== null && { repositories: globs }),
        })) as Schemas['CreatedToken'];
        return { token: created.token, info: tokenInfo(created.info) };
      },
      async list() {
        return ((await call('GET', '/v1/tokens')) as Schemas['TokenList']).tokens.map(tokenInfo);
      },
      async revoke(id) {
        try {
          await call('DELETE', `/v1/tokens/${encodeURIComponent(id)}`);
          return true;
        } catch (error) {
          // The store answers false for an unknown or revoked id; so does this.
          if (error instanceof CustomsError && ['TOKEN_NOT_FOUND', 'REQUEST_INVALID'].includes(error.code))
            return false;
          throw error;
        }
      },
    },
    async importAdvisories(source, options) {
      const report = (await call('POST', '/v1/db/imports', {
        source,
        ...(options.allowLoopbackHttp && { allowLoopbackHttp: true }),
      })) as Schemas['ImportReport'];
      return { ...report, startedAt: new Date(report.startedAt), finishedAt: new Date(report.finishedAt) };
    },
    async updateVulnDb(body) {
      const report = (await call('POST', '/v1/db/updates', body)) as Schemas['UpdateReport'];
      return {
        ...report,
        // The API's report does not list the packages an update changed: unknown, as after a full load.
        changedPackages: null,
        version: { ...report.version, createdAt: new Date(report.version.createdAt) },
        startedAt: new Date(report.startedAt),
        finishedAt: new Date(report.finishedAt),
      };
    },
    async vulnDbStatus() {
      const answer = (await call('GET', '/v1/db')) as Schemas['VulnDbStatus'];
      const current = answer.dataVersion;
      return {
        status: {
          advisories: answer.advisories,
          ecosystems: answer.ecosystems.map((entry) => ({
            ...entry,
            lastImport: lastImport(entry.lastImport),
          })),
          lastImport: lastImport(answer.lastImport),
        },
        data: {
          current: current && {
            version: current.version,
            createdAt: new Date(current.createdAt),
            origin: current.origin,
            advisories: current.advisories,
            changed: current.changed,
          },
          sources: answer.sources.map((source) => ({
            ...source,
            lastSuccess: source.lastSuccess === null ? null : new Date(source.lastSuccess),
            lastAttempt: new Date(source.lastAttempt),
          })),
        },
      };
    },
  };
}

/**
 * One API call with the server's own admin token. node:http rather than fetch: an import of a full
 * OSV export answers after minutes, and fetch gives up waiting for response headers after five.
 */
function callServer(control: ServerControl, method: string, path: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(path, control.url),
      {
        method,
        headers: {
          Authorization: `Bearer ${control.token}`,
          Accept: 'application/json',
          ...(payload !== undefined && { 'Content-Type': 'application/json' }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) =>
          reject(new ServerUnreachableError(control.pid, control.url, error.message, error)),
        );
        response.on('end', () => {
          try {
            resolve(answerOf(control, response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    outgoing.on('error', (error) =>
      reject(new ServerUnreachableError(control.pid, control.url, error.message, error)),
    );
    outgoing.end(payload);
  });
}

/** The body of a 2xx answer; an error answer becomes the server's own error, code, message and hint. */
function answerOf(control: ServerControl, status: number, text: string): unknown {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ServerAnswerInvalidError(control.url, `HTTP ${status} with a body that is not JSON`);
  }
  if (status >= 200 && status < 300) return body;
  const error = (body as { error?: { code?: unknown; message?: unknown; hint?: unknown } } | undefined)
    ?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string')
    throw new ServerAnswerInvalidError(control.url, `HTTP ${status} without an error body`);
  if (!isErrorCode(error.code))
    throw new ServerAnswerInvalidError(
      control.url,
      `HTTP ${status} with an undeclared error code ${error.code}`,
    );
  throw new CustomsError(error.code, error.message, {
    ...(typeof error.hint === 'string' && { hint: error.hint }),
  });
}

function tokenInfo(token: Schemas['Token']): TokenInfo {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    repositories: token.repositories,
    createdAt: new Date(token.createdAt),
    lastUsedAt: token.lastUsedAt === null ? null : new Date(token.lastUsedAt),
    revokedAt: token.revokedAt === null ? null : new Date(token.revokedAt),
  };
}

function lastImport(last: Schemas['LastImport']): VulnDbStatus['lastImport'] {
  return last && { finishedAt: new Date(last.finishedAt), source: last.source };
}
