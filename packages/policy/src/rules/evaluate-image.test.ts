import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyFinding } from '../evaluate-policy.js';
import { readPolicyFile } from '../file/read-policy-file.js';
import type { Policy } from '../policy.js';
import { evaluateImage } from './evaluate-image.js';
import { policySetOf } from './policy-rules.js';
import { repositoryGlob } from './repository-glob.js';

/*
 * qs's CVE-2025-15284 (GHSA-6rw7-vpxm-498p, HIGH, fixed in 6.14.1) as the matcher reports it for
 * snyk's goof lockfile against the real OSV record in test/fixtures/osv.
 */
const qsDos: PolicyFinding = {
  id: 'CVE-2025-15284',
  aliases: ['GHSA-6rw7-vpxm-498p'],
  severity: 'HIGH',
  package: { type: 'npm', name: 'qs', version: '6.3.3', purl: 'pkg:npm/qs@6.3.3' },
  fixedVersion: '6.14.1',
};

const CONFIG_POLICY: Policy = { failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] };
const now = new Date('2025-06-15T12:00:00Z');
const labels = { 'org.opencontainers.image.source': 'https://git.example/team-a/api' };

// A policy file as a platform team writes it (generated for these tests).
const FILE = `version: 1
rules:
  - id: payments
    repositories: ["team-a/payments/**"]
    failOn: CRITICAL
    warnOn: HIGH
  - id: team-a
    repositories: ["team-a/**"]
    requiredLabels: [org.opencontainers.image.source]
  - id: sandbox
    repositories: ["sandbox/*"]
    failOn: CRITICAL
    warnOn: null
    denyRunAsRoot: true
    denySecrets: true
  - id: no-root
    repositories: ["rooted/*"]
    failOn: CRITICAL
    denyRunAsRoot: true
exceptions:
  - id: GHSA-6rw7-vpxm-498p
    package: qs
    expires: 2025-06-30
    justification: qs parses only trusted query strings here
    repositories: ["team-b/**"]
`;
const set = readPolicyFile(FILE, 'policy.yaml', CONFIG_POLICY);

const rootUser = {
  kind: 'config' as const,
  id: 'runs-as-root',
  severity: 'HIGH' as const,
  title: 'USER is root',
};
const secret = {
  kind: 'secret' as const,
  id: 'aws-access-key',
  severity: 'CRITICAL' as const,
  title: 'AWS access key in ENV AWS_ACCESS_KEY_ID',
};

describe('evaluateImage: per-repository rules', () => {
  it('picks the first rule whose glob matches, and every reason and the verdict name it', () => {
    const payments = evaluateImage(set, [qsDos], { repository: 'team-a/payments/api', labels }, { now });
    assert.equal(payments.verdict, 'warn');
    assert.deepEqual(payments.rule, { id: 'payments', repositories: ['team-a/payments/**'] });
    assert.ok(payments.reasons.every((reason) => reason.rule === 'payments'));

    const api = evaluateImage(set, [qsDos], { repository: 'team-a/api', labels }, { now });
    assert.equal(api.verdict, 'fail');
    assert.equal(api.rule.id, 'team-a');
    assert.equal(api.reasons[0]?.code, 'FAIL_ON');
    assert.equal(api.reasons[0]?.rule, 'team-a');
  });

  it('falls back to the configuration policy as the rule named default', () => {
    const other = evaluateImage(set, [qsDos], { repository: 'team-c/web', labels: {} }, { now });
    assert.deepEqual(other.rule, { id: 'default', repositories: ['**'] });
    assert.equal(other.verdict, 'fail');
    assert.deepEqual(
      evaluateImage(policySetOf(CONFIG_POLICY), [], { repository: 'x', labels: null }, { now }).rule.id,
      'default',
    );
  });

  it('fails an image missing a required label, naming label and rule', () => {
    const result = evaluateImage(set, [], { repository: 'team-a/api', labels: {} }, { now });
    assert.equal(result.verdict, 'fail');
    assert.equal(result.reasons[0]?.code, 'LABEL_MISSING');
    assert.equal(
      result.reasons[0]?.message,
      'missing required label org.opencontainers.image.source (rule team-a)',
    );
  });

  it('does not pass an image whose labels were never recorded', () => {
    const result = evaluateImage(set, [], { repository: 'team-a/api', labels: null }, { now });
    assert.equal(result.verdict, 'error');
    assert.match(result.reasons[0]?.message ?? '', /indexed before Customs kept labels/);
  });

  it('denies root and secrets from the image findings, and does not pass when their scanners did not run', () => {
    const facts = { repository: 'sandbox/tool', labels: {}, layerSecretsScanned: true };
    const both = evaluateImage(set, [], { ...facts, imageFindings: [rootUser, secret] }, { now });
    assert.equal(both.verdict, 'fail');
    assert.deepEqual(
      both.reasons.map((reason) => [reason.code, reason.message]),
      [
        ['RUNS_AS_ROOT', '1 root user finding (denyRunAsRoot): USER is root'],
        ['SECRET_FOUND', '1 secret (denySecrets): AWS access key in ENV AWS_ACCESS_KEY_ID'],
        ['BELOW_THRESHOLDS', 'no counted finding at or above CRITICAL'],
      ],
    );
    assert.equal(evaluateImage(set, [], { ...facts, imageFindings: [] }, { now }).verdict, 'pass');
    const unseen = evaluateImage(set, [], facts, { now });
    assert.equal(unseen.verdict, 'error');
    assert.deepEqual(
      unseen.reasons.map((reason) => reason.code),
      ['SCAN_INCOMPLETE', 'SCAN_INCOMPLETE', 'BELOW_THRESHOLDS'],
    );
  });
});

describe('evaluateImage: denySecrets and the secret scan of the layers', () => {
  const sandbox = { repository: 'sandbox/tool', labels: {} };

  it('does not pass an image whose layers were not scanned for secrets, though its config was checked', () => {
    const unknown = { ...sandbox, imageFindings: [] };
    for (const facts of [unknown, { ...unknown, layerSecretsScanned: false }]) {
      const unscanned = evaluateImage(set, [], facts, { now });
      assert.equal(unscanned.verdict, 'error');
      assert.deepEqual(
        unscanned.reasons.map((reason) => [reason.code, reason.message]),
        [
          [
            'SCAN_INCOMPLETE',
            'denySecrets needs the secret scan of every layer, and this image was indexed without it; scan it again',
          ],
          ['BELOW_THRESHOLDS', 'no counted finding at or above CRITICAL'],
        ],
      );
    }
    const warnOnly = {
      ...set,
      rules: set.rules.map((rule) => ({ ...rule, incompleteScan: 'warn' as const })),
    };
    assert.equal(evaluateImage(warnOnly, [], { ...sandbox, imageFindings: [] }, { now }).verdict, 'warn');
  });

  it('passes an image whose every layer was scanned clean', () => {
    const scanned = { ...sandbox, imageFindings: [], layerSecretsScanned: true };
    assert.equal(evaluateImage(set, [], scanned, { now }).verdict, 'pass');
  });

  it('still fails on a secret in ENV when the layers were not scanned', () => {
    const result = evaluateImage(set, [], { ...sandbox, imageFindings: [secret] }, { now });
    assert.equal(result.verdict, 'fail');
    assert.deepEqual(
      result.reasons.map((reason) => reason.code),
      ['SECRET_FOUND', 'SCAN_INCOMPLETE', 'BELOW_THRESHOLDS'],
    );
  });

  it('leaves denyRunAsRoot alone: a root image fails and a non-root one passes, layers unscanned', () => {
    const rooted = { repository: 'rooted/tool', labels: {} };
    const root = evaluateImage(set, [], { ...rooted, imageFindings: [rootUser] }, { now });
    assert.equal(root.verdict, 'fail');
    assert.deepEqual(
      root.reasons.map((reason) => reason.code),
      ['RUNS_AS_ROOT', 'BELOW_THRESHOLDS'],
    );
    assert.equal(evaluateImage(set, [], { ...rooted, imageFindings: [] }, { now }).verdict, 'pass');
  });
});

describe('evaluateImage: exceptions', () => {
  it('apply only to their repositories, and only until they expire; then they are reported as expired', () => {
    const facts = { repository: 'team-b/api', labels: {} };
    const before = evaluateImage(set, [qsDos], facts, { now });
    assert.equal(before.verdict, 'pass');
    assert.equal(before.ignored[0]?.reason, 'qs parses only trusted query strings here');
    assert.deepEqual(before.validUntil, new Date('2025-07-01T00:00:00Z'));

    const after = evaluateImage(set, [qsDos], facts, { now: new Date('2025-07-01T00:00:00Z') });
    assert.equal(after.verdict, 'fail');
    assert.deepEqual(after.ignored, []);
    assert.deepEqual(after.expiredIgnores, [
      {
        entry: 'GHSA-6rw7-vpxm-498p',
        expires: '2025-06-30',
        findings: [{ id: 'CVE-2025-15284', package: 'qs', version: '6.3.3', fixedVersion: '6.14.1' }],
      },
    ]);

    const elsewhere = evaluateImage(set, [qsDos], { repository: 'team-c/api', labels: {} }, { now });
    assert.equal(elsewhere.verdict, 'fail', 'another repository is not excepted');
  });
});

describe('repositoryGlob', () => {
  it('* stays within a path segment, ** crosses them', () => {
    assert.ok(repositoryGlob('team-a/*')('team-a/api'));
    assert.ok(!repositoryGlob('team-a/*')('team-a/payments/api'));
    assert.ok(repositoryGlob('team-a/**')('team-a/payments/api'));
    assert.ok(!repositoryGlob('team-a/**')('team-ab/api'));
    assert.ok(repositoryGlob('**/base')('library/base'));
    assert.ok(repositoryGlob('**/base')('base'));
    assert.ok(!repositoryGlob('team-a.x/*')('team-aXx/api'), 'a dot is literal');
  });
});

describe('evaluateImage: maxCriticalAgeDays', () => {
  // Generated for this test: a CRITICAL finding (no fixture advisory is rated CRITICAL).
  const critical: PolicyFinding = {
    id: 'GHSA-gen0-crit-0001',
    aliases: [],
    severity: 'CRITICAL',
    package: { type: 'npm', name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' },
    fixedVersion: '1.0.1',
  };
  const graced = readPolicyFile(
    'version: 1\nrules:\n  - id: grace\n    repositories: ["**"]\n    maxCriticalAgeDays: 7\n',
    'grace.yaml',
    CONFIG_POLICY,
  );
  const facts = { repository: 'team-c/api', labels: {}, publishedAt: new Map([[critical.id, now]]) };

  it('warns on a CRITICAL finding younger than the limit, and holds the verdict only until then', () => {
    const young = evaluateImage(graced, [critical], facts, { now: new Date('2025-06-20T12:00:00Z') });
    assert.equal(young.verdict, 'warn');
    assert.equal(young.counts.CRITICAL, 1);
    assert.equal(young.reasons[0]?.code, 'CRITICAL_IN_GRACE');
    assert.match(
      young.reasons[0]?.message ?? '',
      /maxCriticalAgeDays 7\); the first counts from 2025-06-22T12:00:00.000Z/,
    );
    assert.deepEqual(young.validUntil, new Date('2025-06-22T12:00:00Z'));
  });

  it('fails once the advisory is older than the limit, and when its age is not known', () => {
    const old = evaluateImage(graced, [critical], facts, { now: new Date('2025-06-22T12:00:00Z') });
    assert.equal(old.verdict, 'fail');
    assert.equal(old.reasons[0]?.code, 'FAIL_ON');
    const undated = evaluateImage(graced, [critical], { repository: 'x', labels: {} }, { now });
    assert.equal(undated.verdict, 'fail');
  });

  it('is refused in a file unless it is a whole number of days', () => {
    assert.throws(
      () =>
        readPolicyFile(
          'version: 1\nrules:\n  - id: g\n    repositories: ["**"]\n    maxCriticalAgeDays: 1.5\n',
          'g.yaml',
          CONFIG_POLICY,
        ),
      /g\.yaml:5: rules\.0\.maxCriticalAgeDays must be integer/,
    );
  });
});
