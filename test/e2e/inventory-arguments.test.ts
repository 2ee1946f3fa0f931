// The CLI contract's exit code 2: bad arguments are refused before anything is scanned. Needs no
// registry and no image, so it runs even with CUSTOMS_SKIP_E2E=1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCustoms } from '../support/customs-cli.js';

const BAD_ARGUMENTS: ReadonlyArray<{ why: string; args: string[] }> = [
  { why: 'no target', args: ['inventory'] },
  { why: 'an unknown format', args: ['inventory', '/nonexistent-customs-target', '--format', 'xml'] },
  {
    why: 'a platform without an architecture',
    args: ['inventory', '/nonexistent-customs-target', '--platform', 'linux'],
  },
  {
    why: 'a username without a password',
    args: ['inventory', '127.0.0.1:1/e2e/app:1.0', '--username', 'customs'],
  },
  { why: 'an unknown option', args: ['inventory', '/nonexistent-customs-target', '--no-such-option'] },
];

for (const { why, args } of BAD_ARGUMENTS) {
  test(`customs ${args.join(' ')}: exit 2 (${why})`, async () => {
    const result = await runCustoms(args);
    assert.equal(result.code, 2, `stderr: ${result.stderr}`);
    assert.equal(result.stdout, '');
    assert.notEqual(result.stderr.trim(), '', 'says what is wrong');
  });
}
