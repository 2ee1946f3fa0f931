import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Severity } from '@customs/model';
import { compileGlob, matches, type SubscriptionFilter } from './filters.js';
import type { NotificationEvent, VerdictReason } from './events.js';

test('* matches within one path segment, ** across segments, . literally', () => {
  const cases: Array<[string, string, boolean]> = [
    ['team/*', 'team/app', true],
    ['team/*', 'team/sub/app', false],
    ['team/**', 'team/sub/app', true],
    ['**', 'any/thing/at/all', true],
    ['team/app', 'team/app', true],
    ['team/app', 'team/apps', false],
    ['*/app', 'team/app', true],
    ['lib.io/*', 'libxio/x', false],
    ['lib.io/*', 'lib.io/x', true],
  ];
  for (const [glob, repository, expected] of cases) {
    assert.equal(compileGlob(glob).test(repository), expected, `${glob} ~ ${repository}`);
  }
  assert.throws(() => compileGlob('team/[a-z]'), { code: 'SUBSCRIPTION_INVALID' });
  assert.throws(() => compileGlob('team/(a|b)'), { code: 'SUBSCRIPTION_INVALID' });
});

const everything: SubscriptionFilter = {
  eventTypes: ['verdict.changed', 'scan.failed'],
  repositoryGlob: '**',
  minSeverity: null,
};

test('minimum severity: a verdict change matches when a reason counts a finding that bad or worse', () => {
  const high = verdictChanged([reason('HIGH', 2), reason('CRITICAL', 0), reason(null, 0)]);
  const wants = (minSeverity: Severity) => matches({ ...everything, minSeverity }, high);
  assert.deepEqual((['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const).map(wants), [false, true, true, true]);
  assert.equal(matches({ ...everything, minSeverity: 'LOW' }, verdictChanged([])), false, 'no findings');
  assert.equal(matches({ ...everything, minSeverity: 'CRITICAL' }, scanFailed()), true, 'not about findings');
});

test('event types and repository select too', () => {
  assert.equal(matches({ ...everything, eventTypes: ['scan.failed'] }, verdictChanged([])), false);
  assert.equal(matches({ ...everything, repositoryGlob: 'other/**' }, scanFailed()), false);
  assert.equal(matches({ ...everything, repositoryGlob: 'team/*' }, scanFailed()), true);
});

function reason(severity: Severity | null, count: number): VerdictReason {
  return { code: 'FAIL_ON', message: `${count} ${severity}`, severity, count, findings: [], platform: null };
}

function verdictChanged(reasons: VerdictReason[]): NotificationEvent {
  return {
    type: 'verdict.changed',
    digest: `sha256:${'a'.repeat(64)}`,
    repository: 'team/app',
    oldVerdict: null,
    newVerdict: 'fail',
    reasons,
    dataVersion: null,
    policyId: 'default',
    at: new Date(0),
  };
}

function scanFailed(): NotificationEvent {
  return {
    type: 'scan.failed',
    digest: `sha256:${'a'.repeat(64)}`,
    repository: 'team/app',
    scanId: 'a3b1c2d4-0000-4000-8000-000000000000',
    error: { code: 'INTERNAL', message: 'x' },
    at: new Date(0),
  };
}
