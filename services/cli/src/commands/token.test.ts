import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runInProcess } from '../test-support/run-in-process.js';

// `customs token` on the embedded database (no server running): tokens limited to repository globs.
describe('customs token create --repository', () => {
  let cache = '';
  const customs = (...argv: string[]) => runInProcess(argv, { env: { XDG_CACHE_HOME: cache } });

  before(async () => {
    cache = await mkdtemp(join(tmpdir(), 'customs-cli-token-'));
  });
  after(() => rm(cache, { recursive: true, force: true }));

  it('limits a token to the globs given, and lists them', async () => {
    const created = await customs(
      ...['token', 'create', '--name', 'team-a ci', '--scope', 'verdicts:read'],
      ...['--repository', 'team-a/**', '--repository', 'shared/base'],
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^cst_/);
    assert.match(created.stderr, /\(team-a ci: verdicts:read on team-a\/\*\*, shared\/base\)/);
    const listed = await customs('token', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /REPOSITORIES/);
    assert.match(listed.stdout, /team-a ci\s+verdicts:read\s+team-a\/\*\*,shared\/base\s/);
  });

  it('refuses repositories on an admin token', async () => {
    const refused = await customs(
      ...['token', 'create', '--name', 'root', '--scope', 'admin', '--repository', 'team-a/**'],
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /cannot be limited to these repositories: the token has the admin scope/);
  });
});
