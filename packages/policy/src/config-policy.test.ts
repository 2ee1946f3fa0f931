// The config findings here are generated test data shaped like packages/imageconfig's output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigFinding } from '@customs/model';
import { evaluateConfigFindings } from './config-policy.js';

const finding = (id: string, severity: ConfigFinding['severity'], location: string): ConfigFinding => ({
  id,
  severity,
  title: `check ${id}`,
  detail: 'generated',
  remediation: 'generated',
  location,
});
const findings = [
  finding('CFG001', 'HIGH', 'config.User'),
  finding('CFG002', 'HIGH', 'config.Env[1]'),
  finding('CFG007', 'LOW', 'config.Healthcheck'),
];

describe('evaluateConfigFindings (policy.config)', () => {
  it('by default reports nothing and passes: config findings count only when the policy says so', () => {
    assert.deepEqual(evaluateConfigFindings(findings), { verdict: 'pass', reasons: [] });
  });

  it('fails at failOn with CONFIG_CHECK_FAILED naming the checks, and warns below it at warnOn', () => {
    const judged = evaluateConfigFindings(findings, { failOn: 'HIGH', warnOn: 'LOW' });
    assert.equal(judged.verdict, 'fail');
    assert.deepEqual(
      judged.reasons.map((reason) => [reason.code, reason.severity, reason.count]),
      [
        ['CONFIG_CHECK_FAILED', 'HIGH', 2],
        ['CONFIG_CHECK_WARNED', 'LOW', 1],
      ],
    );
    assert.match(
      judged.reasons[0]?.message ?? '',
      /CFG001 check CFG001 \(config\.User\); CFG002 .*config\.failOn HIGH/,
    );
  });

  it('warns only, when nothing reaches failOn', () => {
    const judged = evaluateConfigFindings(findings, { failOn: 'CRITICAL', warnOn: 'MEDIUM' });
    assert.equal(judged.verdict, 'warn');
    assert.deepEqual(
      judged.reasons.map((reason) => reason.code),
      ['CONFIG_CHECK_WARNED'],
    );
    assert.deepEqual(evaluateConfigFindings([], { failOn: 'LOW', warnOn: 'LOW' }).verdict, 'pass');
  });
});
