import type { TokenInfo } from '@customs/store';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import { TokenNotFoundError } from '../errors.js';
import type { Handlers } from '../http/typed-operations.js';

export function tokenHandlers(
  context: ApiContext,
): Pick<Handlers, 'createToken' | 'listTokens' | 'revokeToken'> {
  const { tokens } = context.deps.store;
  return {
    async createToken({ body }) {
      const created = await tokens.create(body.name, body.scopes, body.repositories ?? null);
      return { status: 201, body: { token: created.token, info: tokenBody(created.info) } };
    },
    async listTokens() {
      return { status: 200, body: { tokens: (await tokens.list()).map(tokenBody) } };
    },
    async revokeToken({ path }) {
      if (!(await tokens.revoke(path.id))) throw new TokenNotFoundError(path.id);
      context.auth.forget(path.id);
      return { status: 204, body: undefined };
    },
  };
}

function tokenBody(info: TokenInfo): Schemas['Token'] {
  return {
    id: info.id,
    name: info.name,
    scopes: info.scopes,
    repositories: info.repositories,
    createdAt: info.createdAt.toISOString(),
    lastUsedAt: info.lastUsedAt?.toISOString() ?? null,
    revokedAt: info.revokedAt?.toISOString() ?? null,
  };
}
