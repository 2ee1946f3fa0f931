import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataVersionBody, emptyVerdict, policySummary, type Verdict } from '@customs/verdicts';
import { pino } from 'pino';
import { createAdmissionReviewer } from './review-admission.js';

// Verdicts that come from a scan known not to be good (SCAN_INCOMPLETE, SCAN_FAILED) and warns that
// come from something other than a finding: what admission says about them in each mode.

const DIGEST = `sha256:${'e'.repeat(64)}`;
const IMAGE = `registry.example/team-a/app@${DIGEST}`;

function verdictOf(state: Verdict['verdict'], code: string, message: string): Verdict {
  const base = emptyVerdict(DIGEST, state, { code: code as 'SCAN_FAILED', message });
  return {
    ...base,
    ref: null,
    rule: null,
    policy: policySummary({ failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] }),
    vulnerabilityData: dataVersionBody(null),
    platforms: [],
    computedAt: new Date('2026-01-01T00:00:00Z').toISOString(),
  };
}

function reviewer(verdict: Verdict, failMode: 'open' | 'closed', mode: 'enforce' | 'warn' = 'enforce') {
  return createAdmissionReviewer({
    config: { defaultMode: mode, namespaces: {}, failMode, deadlineMs: 2_000 },
    judge: {
      registries: [],
      verdictOf: async () => verdict,
      resolveTag: async () => DIGEST,
      requestScan: async () => assert.fail('a judged image requests no scan'),
    },
    logger: pino({ level: 'silent' }),
  });
}

const pod = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'uid-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    namespace: 'prod',
    operation: 'CREATE',
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'app', image: IMAGE }] },
    },
  },
};

const incomplete = 'layer sha256:4f1c: var/lib/dpkg/status: skipped, too large [FILE_TOO_LARGE]';

describe('admission of an image whose verdict is error', () => {
  for (const failMode of ['open', 'closed'] as const) {
    it(`denies it in enforce mode with failMode ${failMode}, saying why`, async () => {
      const answer = await reviewer(verdictOf('error', 'SCAN_INCOMPLETE', incomplete), failMode)(pod);
      assert.equal(answer.response.allowed, false);
      assert.equal(answer.response.status?.code, 403);
      assert.match(answer.response.status?.message ?? '', /error: layer sha256:4f1c: var\/lib\/dpkg\/status/);
      assert.doesNotMatch(answer.response.status?.message ?? '', /failMode is closed/);
    });
  }

  it('denies a failed scan too, and only warns in warn mode', async () => {
    const failed = verdictOf('error', 'SCAN_FAILED', 'scan 42 failed: REGISTRY_AUTH_FAILED: refused');
    const denied = await reviewer(failed, 'open')(pod);
    assert.equal(denied.response.allowed, false);
    assert.match(denied.response.status?.message ?? '', /scan 42 failed/);
    const warned = await reviewer(failed, 'open', 'warn')(pod);
    assert.equal(warned.response.allowed, true);
    assert.match(warned.response.warnings?.[0] ?? '', /error: scan 42 failed/);
  });
});

describe('admission warnings', () => {
  it('name every reason of a warn verdict, not only findings over warnOn', async () => {
    const answer = await reviewer(verdictOf('warn', 'SCAN_INCOMPLETE', incomplete), 'closed')(pod);
    assert.equal(answer.response.allowed, true);
    assert.equal(answer.response.warnings?.length, 1);
    assert.match(answer.response.warnings?.[0] ?? '', /: warn: layer sha256:4f1c: var\/lib\/dpkg\/status/);
  });
});
