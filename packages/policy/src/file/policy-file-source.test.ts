import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { Policy } from '../policy.js';
import type { PolicySet } from '../rules/policy-rules.js';
import { openPolicyFile, type PolicySource } from './policy-file-source.js';

const CONFIG_POLICY: Policy = { failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] };
const rules = (failOn: string) =>
  `version: 1\nrules:\n  - id: team-a\n    repositories: ["team-a/**"]\n    failOn: ${failOn}\n`;

/** Resolves with the next thing the source reports, a new set or an error. */
function nextEvent(events: Array<(event: PolicySet | unknown) => void>): Promise<PolicySet | unknown> {
  return new Promise((resolve) => events.push(resolve));
}

describe('openPolicyFile', () => {
  let dir: string;
  let file: string;
  let source: PolicySource;
  const waiting: Array<(event: unknown) => void> = [];
  const report = (event: unknown) => waiting.shift()?.(event);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'customs-policy-'));
    file = join(dir, 'policy.yaml');
    await writeFile(file, rules('HIGH'));
    source = await openPolicyFile({
      file,
      defaults: CONFIG_POLICY,
      onLoad: report,
      onError: report,
      debounceMs: 20,
    });
  });
  after(async () => {
    source.close();
    await rm(dir, { recursive: true, force: true });
  });

  const teamRule = () => source.current().rules[0];

  it('reloads when the file is written, and when it is replaced as editors and ConfigMaps do', async () => {
    assert.equal(teamRule()?.failOn, 'HIGH');
    const written = nextEvent(waiting);
    await writeFile(file, rules('CRITICAL'));
    assert.equal(((await written) as PolicySet).rules[0]?.failOn, 'CRITICAL');
    assert.equal(teamRule()?.failOn, 'CRITICAL');

    const replaced = nextEvent(waiting);
    await writeFile(join(dir, 'policy.yaml.new'), rules('MEDIUM'));
    await rename(join(dir, 'policy.yaml.new'), file);
    assert.equal(((await replaced) as PolicySet).rules[0]?.failOn, 'MEDIUM');
  });

  it('keeps the policy it has when the new file is broken, reporting file and line', async () => {
    const before = source.current();
    const failed = nextEvent(waiting);
    await writeFile(file, `${rules('HIGH')}    warnOn: SOMETIMES\n`);
    const error = await failed;
    assert.ok(isCustomsError(error, 'POLICY_INVALID'), String(error));
    assert.match(error.message, /policy\.yaml:6: rules\.0\.warnOn must be one of/);
    assert.equal(source.current(), before);
  });

  it('reloads on SIGHUP', async () => {
    const quietFile = join(dir, 'quiet.yaml');
    await writeFile(quietFile, rules('HIGH'));
    const events: Array<(event: unknown) => void> = [];
    const quiet = await openPolicyFile({
      file: quietFile,
      defaults: CONFIG_POLICY,
      onLoad: (set) => events.shift()?.(set),
      onError: (error) => events.shift()?.(error),
      watchFile: false,
    });
    try {
      await writeFile(quietFile, rules('LOW'));
      assert.equal(quiet.current().rules[0]?.failOn, 'HIGH', 'not watched: no reload yet');
      const loaded = nextEvent(events);
      process.kill(process.pid, 'SIGHUP');
      assert.equal(((await loaded) as PolicySet).rules[0]?.failOn, 'LOW');
      assert.equal(quiet.current().rules[0]?.failOn, 'LOW');
    } finally {
      quiet.close();
    }
  });
});
