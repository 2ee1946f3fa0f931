// What a verdict should say about the app image's npm packages, read independently of Customs: the
// oracle's reading of the real OSV records (test/support/osv-oracle.ts) and each record's own severity
// (GitHub's `database_specific.severity`, which names CVSS ranges: MODERATE is MEDIUM).
import assert from 'node:assert/strict';
import type { ApiVerdict } from './customs-api.js';
import type { NpmTruth } from './ground-truth.js';
import { expectedAdvisories, loadRecords } from './osv-oracle.js';

export interface PredictedFinding {
  package: string;
  version: string;
  /** The record's id and aliases: a finding may be named by any of them. */
  names: readonly string[];
  severity: string;
}

const SEVERITY_NAMES: Record<string, string> = { MODERATE: 'MEDIUM' };

/** One finding per (installed npm package, affecting record), with the record's severity. */
export function predictNpmFindings(installed: readonly NpmTruth[]): PredictedFinding[] {
  const records = loadRecords('npm');
  const severityOf = new Map(records.map((record) => [record.id, recordSeverity(record)]));
  const seen = new Set<string>();
  const predicted: PredictedFinding[] = [];
  for (const pkg of installed) {
    const key = `${pkg.name}@${pkg.version}`;
    if (seen.has(key)) continue; // the same version installed in two places is one package to match
    seen.add(key);
    for (const advisory of expectedAdvisories(records, 'npm', pkg.name, pkg.version)) {
      predicted.push({
        package: pkg.name,
        version: pkg.version,
        names: [advisory.id, ...advisory.aliases],
        severity: severityOf.get(advisory.id) ?? 'UNKNOWN',
      });
    }
  }
  return predicted;
}

function recordSeverity(record: object): string {
  const specific = 'database_specific' in record ? record.database_specific : undefined;
  const severity =
    typeof specific === 'object' && specific !== null && 'severity' in specific
      ? specific.severity
      : undefined;
  if (typeof severity !== 'string') return 'UNKNOWN';
  return SEVERITY_NAMES[severity] ?? severity;
}

type ListedFinding = ApiVerdict['reasons'][number]['findings'][number];

/** The same package version, named by the record's id or one of its aliases. */
function sameFinding(predicted: PredictedFinding, listed: ListedFinding): boolean {
  return (
    predicted.package === listed.package &&
    predicted.version === listed.version &&
    predicted.names.includes(listed.id)
  );
}

/**
 * app (or an image built on it) fails the policy (failOn HIGH, warnOn MEDIUM) for its npm packages
 * exactly as the OSV records predict: every HIGH npm record is a FAIL_ON finding and every MEDIUM
 * one a WARN_ON finding, under one of the record's names, and no npm finding is unpredicted.
 */
export function assertNpmFindings(verdict: ApiVerdict, predicted: readonly PredictedFinding[]): void {
  assert.equal(verdict.verdict, 'fail', JSON.stringify(verdict.reasons));
  for (const [code, severity] of [
    ['FAIL_ON', 'HIGH'],
    ['WARN_ON', 'MEDIUM'],
  ] as const) {
    const reason = verdict.reasons.find(
      (candidate) => candidate.code === code && candidate.severity === severity,
    );
    assert.ok(reason, `a ${code} ${severity} reason: ${JSON.stringify(verdict.reasons)}`);
    assert.equal(reason.findings.length, reason.count, `${code}: every finding is listed (at most 25 are)`);
    const expected = predicted.filter((finding) => finding.severity === severity);
    assert.ok(expected.length > 0, `the records predict ${severity} npm findings`);
    const listedNpm = reason.findings.filter((listed) =>
      predicted.some((finding) => finding.package === listed.package && finding.version === listed.version),
    );
    assert.deepEqual(
      expected.filter((finding) => !listedNpm.some((listed) => sameFinding(finding, listed))),
      [],
      `${severity} npm records without a ${code} finding`,
    );
    assert.deepEqual(
      listedNpm.filter((listed) => !expected.some((finding) => sameFinding(finding, listed))),
      [],
      `${code} npm findings no ${severity} record predicts`,
    );
  }
}
