import { parseArgs } from 'node:util';
import { loadServiceConfig } from '@customs/config';
import { defaultDataDir } from '@customs/db';
import { renderTable } from '@customs/report';
import { openStore, TOKEN_SCOPES, type TokenStore } from '@customs/store';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { withDatabaseOrServer } from '../server-control/database-or-server.js';

export const TOKEN_USAGE = `usage: customs token create --name NAME --scope SCOPE [--scope SCOPE ...] [--repository GLOB ...]
       customs token list
       customs token revoke ID

Scopes: ${TOKEN_SCOPES.join(', ')}. The token is printed once; only its hash is stored.
--repository limits the token to repositories matching a glob (team-a/**: * within a path segment,
** any depth); not with admin.
Uses the service's database (CUSTOMS_CONFIG / DATABASE_URL, else the embedded one); while customs serve
has the embedded one open, asks that server.
`;

/** API tokens for CI gates, admission controllers and operators. */
export async function tokenCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      repository: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    io.stdout.write(TOKEN_USAGE);
    return values.help ? EXIT.ok : EXIT.badArguments;
  }
  return withTokens(io, async (tokens) => {
    if (action === 'create') {
      if (!values.name || !values.scope?.length || rest.length)
        throw new UsageError(`create needs --name and --scope\n${TOKEN_USAGE}`);
      const { token, info } = await tokens.create(values.name, values.scope, values.repository ?? null);
      io.stdout.write(`${token}\n`);
      const limited = info.repositories === null ? '' : ` on ${info.repositories.join(', ')}`;
      io.stderr.write(
        `created token ${info.id} (${info.name}: ${info.scopes.join(', ')}${limited}); it is not shown again\n`,
      );
      return EXIT.ok;
    }
    if (action === 'list') {
      const rows = (await tokens.list()).map((token) => [
        token.id,
        token.name,
        token.scopes.join(','),
        token.repositories?.join(',') ?? '*',
        token.createdAt.toISOString(),
        token.lastUsedAt?.toISOString() ?? '',
        token.revokedAt ? 'revoked' : 'active',
      ]);
      io.stdout.write(
        renderTable(['ID', 'NAME', 'SCOPES', 'REPOSITORIES', 'CREATED', 'LAST USED', 'STATE'], rows),
      );
      return EXIT.ok;
    }
    if (action === 'revoke' && rest.length === 1) {
      const revoked = await tokens.revoke(rest[0] as string);
      if (!revoked) throw new UsageError(`no active token with id ${rest[0]}`);
      io.stderr.write(`revoked ${rest[0]}\n`);
      return EXIT.ok;
    }
    throw new UsageError(TOKEN_USAGE);
  });
}

/** The token store: in the database, or through the running customs serve that has it open. */
async function withTokens<T>(
  io: CliIO,
  use: (tokens: Pick<TokenStore, 'create' | 'list' | 'revoke'>) => Promise<T>,
): Promise<T> {
  const config = loadServiceConfig({ env: io.env });
  const target = config.database
    ? { url: config.database }
    : { dataDir: config.dataDir ?? defaultDataDir(io.env) };
  return withDatabaseOrServer(target, io, {
    database: async (db) => use((await openStore(db)).tokens),
    server: (server) => use(server.tokens),
  });
}
