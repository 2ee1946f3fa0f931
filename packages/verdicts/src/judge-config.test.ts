// The image config is generated test data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zeroSeverityCounts } from '@customs/model';
import type { Policy, PolicyResult } from '@customs/policy';
import { checkImageConfig } from '@customs/imageconfig';
import { imageFindingsOfConfig, judgeConfig } from './judge-config.js';

// A config that runs as root (CFG001) and has a HEALTHCHECK: one finding.
const findings = checkImageConfig({ config: { User: '0:0', Healthcheck: { Test: ['CMD', 'true'] } } });
const policy: Policy = { failOn: 'CRITICAL', warnOn: 'HIGH', fixableOnly: false, ignore: [] };
const packages = (verdict: PolicyResult['verdict'], code: 'BELOW_THRESHOLDS' | 'FAIL_ON'): PolicyResult => ({
  verdict,
  reasons: [{ code, message: code, severity: null, count: 0, findings: [] }],
  counts: zeroSeverityCounts(),
  ignored: [],
  expiredIgnores: [],
  notFixable: 0,
  validUntil: null,
});

describe('judgeConfig', () => {
  it('lists the findings and leaves the verdict alone when policy.config is absent', () => {
    const judged = judgeConfig(findings, policy, packages('pass', 'BELOW_THRESHOLDS'));
    assert.equal(judged.verdict, 'pass');
    assert.deepEqual(
      judged.findings?.map((finding) => finding.id),
      ['CFG001'],
    );
    assert.deepEqual(
      judged.reasons.map((reason) => reason.code),
      ['BELOW_THRESHOLDS'],
    );
  });

  it('fails a package pass when config.failOn is crossed, its reason first', () => {
    const judged = judgeConfig(
      findings,
      { ...policy, config: { failOn: 'HIGH', warnOn: null } },
      packages('pass', 'BELOW_THRESHOLDS'),
    );
    assert.equal(judged.verdict, 'fail');
    assert.deepEqual(
      judged.reasons.map((reason) => reason.code),
      ['CONFIG_CHECK_FAILED', 'BELOW_THRESHOLDS'],
    );
  });

  it('keeps a package fail first when the config only warns', () => {
    const judged = judgeConfig(
      findings,
      { ...policy, config: { failOn: null, warnOn: 'HIGH' } },
      packages('fail', 'FAIL_ON'),
    );
    assert.equal(judged.verdict, 'fail');
    assert.deepEqual(
      judged.reasons.map((reason) => reason.code),
      ['FAIL_ON', 'CONFIG_CHECK_WARNED'],
    );
  });

  it('says nothing about an image stored before its config was kept', () => {
    const judged = judgeConfig(null, policy, packages('pass', 'BELOW_THRESHOLDS'));
    assert.equal(judged.findings, null);
  });

  it('names root and ENV secrets as the policy rules read them', () => {
    const env = checkImageConfig({
      config: { User: 'root', Env: ['DB_PASSWORD=hunter2-not-a-placeholder'] },
    });
    const read = imageFindingsOfConfig(env);
    assert.ok(read.some((finding) => finding.kind === 'config' && finding.id === 'runs-as-root'));
    assert.ok(read.some((finding) => finding.kind === 'secret' && finding.id === 'CFG002'));
    assert.ok(read.every((finding) => !finding.title.includes('hunter2')));
  });
});
