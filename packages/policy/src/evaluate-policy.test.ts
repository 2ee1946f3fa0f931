import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { evaluatePolicy, type PolicyFinding } from './evaluate-policy.js';
import type { Policy } from './policy.js';

/*
 * Findings as the matcher reports them for snyk's "goof" lockfile and trivy's go.mod
 * (test/fixtures/npm/snyk/npm-lock-v2_goof, test/fixtures/golang/trivy-gomod) against the real OSV
 * records in test/fixtures/osv: ids, aliases, severities and fixed versions copied from those records.
 */
const expressPathTraversal: PolicyFinding = {
  id: 'CVE-2024-43796',
  aliases: ['GHSA-qw6h-vgh9-j6wx'],
  severity: 'MEDIUM',
  package: { type: 'npm', name: 'express', version: '4.12.4', purl: 'pkg:npm/express@4.12.4' },
  fixedVersion: '4.20.0',
};
const expressOpenRedirect: PolicyFinding = {
  id: 'CVE-2024-29041',
  aliases: ['GHSA-rv95-896h-c2vc'],
  severity: 'MEDIUM',
  package: { type: 'npm', name: 'express', version: '4.12.4', purl: 'pkg:npm/express@4.12.4' },
  fixedVersion: '4.19.2',
};
const qsDos: PolicyFinding = {
  id: 'CVE-2025-15284',
  aliases: ['GHSA-6rw7-vpxm-498p'],
  severity: 'HIGH',
  package: { type: 'npm', name: 'qs', version: '6.3.3', purl: 'pkg:npm/qs@6.3.3' },
  fixedVersion: '6.14.1',
};
const qsDosOld: PolicyFinding = {
  ...qsDos,
  package: { type: 'npm', name: 'qs', version: '2.4.2', purl: 'pkg:npm/qs@2.4.2' },
};
const cookie: PolicyFinding = {
  id: 'CVE-2024-47764',
  aliases: ['GHSA-pxg6-pf52-xh8x'],
  severity: 'LOW',
  package: { type: 'npm', name: 'cookie', version: '0.1.2', purl: 'pkg:npm/cookie@0.1.2' },
  fixedVersion: '0.7.0',
};
/** GO-2026-4883 has no fixed version and no severity. */
const dockerPlugin: PolicyFinding = {
  id: 'CVE-2026-33997',
  aliases: ['GHSA-pxq6-2prw-chj9', 'GO-2026-4883'],
  severity: 'UNKNOWN',
  package: {
    type: 'golang',
    name: 'github.com/docker/docker',
    version: 'v20.10.11+incompatible',
    purl: 'pkg:golang/github.com/docker/docker@v20.10.11%2Bincompatible',
  },
  fixedVersion: null,
};

const DEFAULT: Policy = { failOn: 'HIGH', warnOn: 'MEDIUM', fixableOnly: false, ignore: [] };
const now = new Date('2025-06-15T12:00:00Z');

describe('evaluatePolicy: thresholds', () => {
  it('fails on a finding at failOn, naming the severity, count and findings', () => {
    const result = evaluatePolicy([expressPathTraversal, qsDos, qsDosOld, cookie], DEFAULT, { now });
    assert.equal(result.verdict, 'fail');
    assert.deepEqual(result.counts, { CRITICAL: 0, HIGH: 2, MEDIUM: 1, LOW: 1, NEGLIGIBLE: 0, UNKNOWN: 0 });
    assert.deepEqual(result.reasons, [
      {
        code: 'FAIL_ON',
        message: '2 HIGH findings (failOn HIGH)',
        severity: 'HIGH',
        count: 2,
        findings: [
          { id: 'CVE-2025-15284', package: 'qs', version: '6.3.3', fixedVersion: '6.14.1' },
          { id: 'CVE-2025-15284', package: 'qs', version: '2.4.2', fixedVersion: '6.14.1' },
        ],
      },
      {
        code: 'WARN_ON',
        message: '1 MEDIUM finding (warnOn MEDIUM)',
        severity: 'MEDIUM',
        count: 1,
        findings: [{ id: 'CVE-2024-43796', package: 'express', version: '4.12.4', fixedVersion: '4.20.0' }],
      },
    ]);
    assert.equal(result.validUntil, null);
  });

  it('warns when the worst finding is at warnOn', () => {
    const result = evaluatePolicy([expressPathTraversal, expressOpenRedirect, cookie], DEFAULT, { now });
    assert.equal(result.verdict, 'warn');
    assert.deepEqual(
      result.reasons.map((reason) => [reason.code, reason.severity, reason.count]),
      [['WARN_ON', 'MEDIUM', 2]],
    );
  });

  it('passes below warnOn and says so', () => {
    const result = evaluatePolicy([cookie], DEFAULT, { now });
    assert.equal(result.verdict, 'pass');
    assert.deepEqual(result.reasons, [
      {
        code: 'BELOW_THRESHOLDS',
        message: 'no counted finding at or above MEDIUM',
        severity: null,
        count: 0,
        findings: [],
      },
    ]);
    assert.equal(result.counts.LOW, 1);
  });

  it('passes with no findings at all', () => {
    assert.equal(evaluatePolicy([], DEFAULT, { now }).verdict, 'pass');
  });

  it('never warns when warnOn is null', () => {
    const result = evaluatePolicy([expressPathTraversal], { ...DEFAULT, warnOn: null }, { now });
    assert.equal(result.verdict, 'pass');
    assert.equal(result.reasons[0]?.message, 'no counted finding at or above HIGH');
  });

  it('fails on a finding without a severity by default, counting it as HIGH, and says so', () => {
    const result = evaluatePolicy([dockerPlugin, cookie], DEFAULT, { now });
    assert.equal(result.verdict, 'fail');
    assert.equal(result.counts.UNKNOWN, 1);
    assert.deepEqual(result.reasons, [
      {
        code: 'FAIL_ON',
        message:
          '1 finding without a severity (UNKNOWN), counted as HIGH (unknownSeverity HIGH; failOn HIGH)',
        severity: 'UNKNOWN',
        count: 1,
        findings: [
          {
            id: 'CVE-2026-33997',
            package: 'github.com/docker/docker',
            version: 'v20.10.11+incompatible',
            fixedVersion: null,
          },
        ],
      },
    ]);
  });
});

describe('evaluatePolicy: unknownSeverity', () => {
  it('compares UNKNOWN findings as the rated severity it names', () => {
    const warned = evaluatePolicy([dockerPlugin], { ...DEFAULT, unknownSeverity: 'MEDIUM' }, { now });
    assert.equal(warned.verdict, 'warn');
    assert.deepEqual(
      warned.reasons.map((reason) => [reason.code, reason.severity, reason.message]),
      [
        [
          'WARN_ON',
          'UNKNOWN',
          '1 finding without a severity (UNKNOWN), counted as MEDIUM (unknownSeverity MEDIUM; warnOn MEDIUM)',
        ],
      ],
    );
    const critical = { ...DEFAULT, failOn: 'CRITICAL' as const, unknownSeverity: 'CRITICAL' as const };
    assert.equal(evaluatePolicy([dockerPlugin], critical, { now }).verdict, 'fail');
  });

  it('names UNKNOWN findings the rule ranks below both thresholds', () => {
    const result = evaluatePolicy([dockerPlugin], { ...DEFAULT, unknownSeverity: 'LOW' }, { now });
    assert.equal(result.verdict, 'pass');
    assert.deepEqual(
      result.reasons.map((reason) => [reason.code, reason.severity, reason.count, reason.message]),
      [
        ['BELOW_THRESHOLDS', null, 0, 'no counted finding at or above MEDIUM'],
        [
          'BELOW_THRESHOLDS',
          'UNKNOWN',
          1,
          '1 finding without a severity (UNKNOWN), counted as LOW: below the thresholds (unknownSeverity LOW)',
        ],
      ],
    );
  });

  it('ignore leaves UNKNOWN findings out of failOn and warnOn, even failOn UNKNOWN, and says so', () => {
    const policy: Policy = { ...DEFAULT, failOn: 'UNKNOWN', unknownSeverity: 'ignore' };
    const result = evaluatePolicy([dockerPlugin, dockerPlugin], policy, { now });
    assert.equal(result.verdict, 'pass');
    assert.equal(result.counts.UNKNOWN, 2);
    assert.deepEqual(result.reasons[1], {
      code: 'BELOW_THRESHOLDS',
      message: '2 findings without a severity (UNKNOWN), not counted (unknownSeverity ignore)',
      severity: 'UNKNOWN',
      count: 2,
      findings: [
        {
          id: 'CVE-2026-33997',
          package: 'github.com/docker/docker',
          version: 'v20.10.11+incompatible',
          fixedVersion: null,
        },
        {
          id: 'CVE-2026-33997',
          package: 'github.com/docker/docker',
          version: 'v20.10.11+incompatible',
          fixedVersion: null,
        },
      ],
    });
    const rated = evaluatePolicy([dockerPlugin, cookie], policy, { now });
    assert.equal(rated.verdict, 'fail', 'failOn UNKNOWN still fails on every rated finding');
    assert.deepEqual(
      rated.reasons.map((reason) => [reason.code, reason.severity]),
      [
        ['FAIL_ON', 'LOW'],
        ['BELOW_THRESHOLDS', 'UNKNOWN'],
      ],
    );
  });

  it('lists at most 25 findings per reason but counts them all', () => {
    const many = Array.from({ length: 30 }, (_, index) => ({
      ...qsDos,
      package: { ...qsDos.package, version: `6.3.${index}` },
    }));
    const [reason] = evaluatePolicy(many, DEFAULT, { now }).reasons;
    assert.equal(reason?.count, 30);
    assert.equal(reason?.findings.length, 25);
  });
});

describe('evaluatePolicy: fixable-only', () => {
  it('leaves out findings without a fix and counts them', () => {
    const policy: Policy = { ...DEFAULT, failOn: 'UNKNOWN', fixableOnly: true };
    const result = evaluatePolicy([dockerPlugin, cookie], policy, { now });
    assert.equal(result.verdict, 'fail');
    assert.equal(result.notFixable, 1);
    assert.deepEqual(result.counts, { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 1, NEGLIGIBLE: 0, UNKNOWN: 0 });
    assert.equal(evaluatePolicy([dockerPlugin], policy, { now }).verdict, 'pass');
    assert.equal(evaluatePolicy([dockerPlugin], { ...policy, fixableOnly: false }, { now }).verdict, 'fail');
  });
});

describe('evaluatePolicy: ignore entries', () => {
  const accepted = {
    id: 'CVE-2025-15284',
    reason: 'qs is only used for trusted input',
    expires: '2025-06-30',
  };

  it('ignores a finding by its id until the entry expires, and says until when the verdict holds', () => {
    const result = evaluatePolicy([qsDos, qsDosOld, cookie], { ...DEFAULT, ignore: [accepted] }, { now });
    assert.equal(result.verdict, 'pass');
    assert.deepEqual(result.ignored, [
      {
        id: 'CVE-2025-15284',
        package: 'qs',
        version: '6.3.3',
        fixedVersion: '6.14.1',
        entry: 'CVE-2025-15284',
        reason: accepted.reason,
        expires: '2025-06-30',
      },
      {
        id: 'CVE-2025-15284',
        package: 'qs',
        version: '2.4.2',
        fixedVersion: '6.14.1',
        entry: 'CVE-2025-15284',
        reason: accepted.reason,
        expires: '2025-06-30',
      },
    ]);
    assert.deepEqual(result.validUntil, new Date('2025-07-01T00:00:00Z'));
    assert.deepEqual(result.expiredIgnores, []);
  });

  // goharbor/harbor#18078: allowlist entries kept applying after expires_at.
  it('stops ignoring once the entry has expired: a date applies through that day, UTC', () => {
    const policy: Policy = { ...DEFAULT, ignore: [accepted] };
    const lastMoment = evaluatePolicy([qsDos], policy, { now: new Date('2025-06-30T23:59:59.999Z') });
    assert.equal(lastMoment.verdict, 'pass');
    const after = evaluatePolicy([qsDos], policy, { now: new Date('2025-07-01T00:00:00Z') });
    assert.equal(after.verdict, 'fail');
    assert.deepEqual(after.ignored, []);
    assert.equal(after.validUntil, null);
    assert.deepEqual(after.expiredIgnores, [
      {
        entry: 'CVE-2025-15284',
        expires: '2025-06-30',
        findings: [{ id: 'CVE-2025-15284', package: 'qs', version: '6.3.3', fixedVersion: '6.14.1' }],
      },
    ]);
  });

  it('takes a date-time expiry literally', () => {
    const policy: Policy = { ...DEFAULT, ignore: [{ ...accepted, expires: '2025-06-15T12:00:00Z' }] };
    assert.equal(evaluatePolicy([qsDos], policy, { now: new Date('2025-06-15T11:59:59Z') }).verdict, 'pass');
    assert.equal(evaluatePolicy([qsDos], policy, { now }).verdict, 'fail');
  });

  it('matches any alias, case-insensitively', () => {
    const byGhsa = { ...accepted, id: 'ghsa-6rw7-vpxm-498p' };
    const result = evaluatePolicy([qsDos], { ...DEFAULT, ignore: [byGhsa] }, { now });
    assert.equal(result.verdict, 'pass');
    assert.equal(result.ignored[0]?.entry, 'ghsa-6rw7-vpxm-498p');
    const byGoId = { ...accepted, id: 'GO-2026-4883' };
    const unknownFails: Policy = { ...DEFAULT, failOn: 'UNKNOWN', ignore: [byGoId] };
    assert.equal(evaluatePolicy([dockerPlugin], unknownFails, { now }).verdict, 'pass');
  });

  it('applies an entry with a package only to that package', () => {
    const onlyExpressOld = { ...accepted, id: 'CVE-2024-43796', package: 'koa' };
    const result = evaluatePolicy([expressPathTraversal], { ...DEFAULT, ignore: [onlyExpressOld] }, { now });
    assert.equal(result.verdict, 'warn');
    const forExpress = { ...onlyExpressOld, package: 'express' };
    assert.equal(
      evaluatePolicy([expressPathTraversal], { ...DEFAULT, ignore: [forExpress] }, { now }).verdict,
      'pass',
    );
  });

  it('holds the verdict until the earliest expiry among the entries used', () => {
    const policy: Policy = {
      ...DEFAULT,
      ignore: [accepted, { id: 'CVE-2024-43796', reason: 'not reachable', expires: '2025-06-20T08:00:00Z' }],
    };
    const result = evaluatePolicy([qsDos, expressPathTraversal], policy, { now });
    assert.equal(result.verdict, 'pass');
    assert.deepEqual(result.validUntil, new Date('2025-06-20T08:00:00Z'));
  });

  it('refuses an expiry that is not a date rather than ignoring forever', () => {
    for (const expires of ['2025-02-30', 'next year', '']) {
      assert.throws(
        () => evaluatePolicy([qsDos], { ...DEFAULT, ignore: [{ ...accepted, expires }] }, { now }),
        (error: unknown) => isCustomsError(error, 'POLICY_INVALID') && error.message.includes(`"${expires}"`),
      );
    }
  });
});

describe('a scan that could not read everything it needed (policy.incompleteScan)', () => {
  const paddedStatus = {
    layer: 'sha256:4f1c0de2',
    path: 'var/lib/dpkg/status',
    code: 'FILE_TOO_LARGE',
    reason:
      'var/lib/dpkg/status: skipped, 1073741824 bytes is more than the 67108864 bytes the dpkg analyzer reads',
  };
  const incompleteReason = {
    code: 'SCAN_INCOMPLETE',
    message: `layer sha256:4f1c0de2: ${paddedStatus.reason} [FILE_TOO_LARGE]`,
    severity: null,
    count: 1,
    findings: [],
  };

  it('is an error by default, never a pass, and the reason names the layer and the file', () => {
    const result = evaluatePolicy([], DEFAULT, { now, incomplete: [paddedStatus] });
    assert.equal(result.verdict, 'error');
    assert.deepEqual(result.reasons[0], incompleteReason);
    assert.equal(result.reasons[1]?.code, 'BELOW_THRESHOLDS');
    assert.equal(evaluatePolicy([], DEFAULT, { now, incomplete: [] }).verdict, 'pass');
  });

  it('is a warning under incompleteScan warn, and findings that fail still fail, their reasons first', () => {
    const warn: Policy = { ...DEFAULT, incompleteScan: 'warn' };
    assert.equal(evaluatePolicy([], warn, { now, incomplete: [paddedStatus] }).verdict, 'warn');
    assert.equal(evaluatePolicy([cookie], warn, { now, incomplete: [paddedStatus] }).verdict, 'warn');
    const failing = evaluatePolicy([qsDos], DEFAULT, { now, incomplete: [paddedStatus] });
    assert.equal(failing.verdict, 'fail');
    assert.deepEqual(
      failing.reasons.map((reason) => reason.code),
      ['FAIL_ON', 'SCAN_INCOMPLETE'],
    );
    const warning = evaluatePolicy([expressOpenRedirect], DEFAULT, { now, incomplete: [paddedStatus] });
    assert.equal(warning.verdict, 'error', 'an error outranks a warning');
    assert.deepEqual(
      warning.reasons.map((reason) => reason.code),
      ['SCAN_INCOMPLETE', 'WARN_ON'],
    );
  });
});
