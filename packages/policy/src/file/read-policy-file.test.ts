import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import type { Policy } from '../policy.js';
import { readPolicyFile } from './read-policy-file.js';

const CONFIG_POLICY: Policy = {
  failOn: 'HIGH',
  warnOn: 'MEDIUM',
  fixableOnly: true,
  incompleteScan: 'warn',
  ignore: [],
};

function problem(text: string): string {
  try {
    readPolicyFile(text, 'teams/policy.yaml', CONFIG_POLICY);
  } catch (error) {
    assert.ok(isCustomsError(error, 'POLICY_INVALID'), String(error));
    return error.message;
  }
  return assert.fail('the file was accepted');
}

describe('readPolicyFile', () => {
  it('takes what a rule leaves out from the configuration policy, and appends it as the default rule', () => {
    const set = readPolicyFile(
      'version: 1\nrules:\n  - id: team-a\n    repositories: ["team-a/**"]\n    failOn: CRITICAL\n',
      'teams/policy.yaml',
      CONFIG_POLICY,
    );
    assert.equal(set.file, 'teams/policy.yaml');
    assert.deepEqual(
      set.rules.map((rule) => [rule.id, rule.failOn, rule.fixableOnly, rule.incompleteScan]),
      [
        ['team-a', 'CRITICAL', true, 'warn'],
        ['default', 'HIGH', true, 'warn'],
      ],
    );
    assert.match(set.version, /^policy-[0-9a-f]{16}$/);
  });

  it('gives the same version for the same rules and another for any change', () => {
    const text = 'version: 1\nrules: []\n';
    const a = readPolicyFile(text, 'a.yaml', CONFIG_POLICY);
    assert.equal(readPolicyFile(`# a comment\n${text}`, 'b.yaml', CONFIG_POLICY).version, a.version);
    assert.notEqual(readPolicyFile(text, 'a.yaml', { ...CONFIG_POLICY, failOn: 'LOW' }).version, a.version);
  });

  it('names file and line of a schema violation', () => {
    const text = 'version: 1\nrules:\n  - id: team-a\n    repositories: ["team-a/**"]\n    failOn: SEVERE\n';
    assert.match(problem(text), /teams\/policy\.yaml:5: rules\.0\.failOn must be one of CRITICAL, HIGH/);
  });

  it('names an unknown key (a typo must not loosen a rule) at its line', () => {
    const text =
      'version: 1\nrules:\n  - id: team-a\n    repositories: ["team-a/**"]\n\n    denyRunAsRot: true\n';
    assert.match(problem(text), /teams\/policy\.yaml:6: rules\.0: unknown key denyRunAsRot/);
  });

  it('names a YAML syntax error, a missing key, a duplicate id and an impossible expiry', () => {
    assert.match(problem('version: 1\nrules: [\n'), /teams\/policy\.yaml:\d+: not YAML/);
    assert.match(
      problem('version: 1\nrules:\n  - id: x\n'),
      /teams\/policy\.yaml:3: rules\.0 must have required property 'repositories'/,
    );
    const twice = 'version: 1\nrules:\n  - id: a\n    repositories: [x]\n  - id: a\n    repositories: [y]\n';
    assert.match(problem(twice), /teams\/policy\.yaml:5: rule id a is used twice/);
    const feb30 =
      'version: 1\nrules: []\nexceptions:\n  - id: CVE-1\n    package: qs\n    justification: x\n    expires: 2025-02-30\n';
    assert.match(problem(feb30), /teams\/policy\.yaml:7: exception CVE-1: 2025-02-30 is not a date/);
  });

  it('requires a package, an expiry and a justification on every exception', () => {
    const text =
      'version: 1\nrules: []\nexceptions:\n  - id: CVE-2025-15284\n    expires: 2025-06-30\n    justification: x\n';
    assert.match(problem(text), /:4: exceptions\.0 must have required property 'package'/);
  });
});
