import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '@customs/model';
import type { AdvisoryDates } from '@customs/vulndb';
import { criticalPublishedAt } from './advisory-ages.js';

// Generated findings: one CRITICAL finding merged from two records, one HIGH; dates as the reader gives them.
const finding = (id: string, severity: Finding['severity'], advisories: string[]): Finding => ({
  id,
  aliases: [],
  summary: null,
  severity,
  cvss: null,
  package: { type: 'npm', name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' },
  fixedVersion: null,
  layer: 'sha256:1',
  path: 'package-lock.json',
  advisories,
});

describe('criticalPublishedAt', () => {
  it('asks only for CRITICAL findings and takes the earliest publication among their records', async () => {
    const asked: string[][] = [];
    const dates = new Map<string, AdvisoryDates>([
      [
        'GHSA-gen0-0001',
        { published: new Date('2025-03-01T00:00:00Z'), modified: new Date('2025-05-01T00:00:00Z') },
      ],
      ['CVE-2025-0001', { published: null, modified: new Date('2025-02-01T00:00:00Z') }],
    ]);
    const reader = {
      advisoryDates: async (ids: readonly string[]) => (asked.push([...ids]), dates),
    };
    const found = await criticalPublishedAt(
      [
        finding('CVE-2025-0001', 'CRITICAL', ['osv:CVE-2025-0001', 'osv:GHSA-gen0-0001']),
        finding('CVE-2025-0002', 'HIGH', ['osv:GHSA-gen0-0002']),
      ],
      reader,
    );
    assert.deepEqual(asked, [['CVE-2025-0001', 'GHSA-gen0-0001']]);
    assert.deepEqual([...(found ?? [])], [['CVE-2025-0001', new Date('2025-02-01T00:00:00Z')]]);
  });

  it('knows no ages with a reader that cannot tell them', async () => {
    assert.equal(await criticalPublishedAt([finding('CVE-1', 'CRITICAL', ['osv:CVE-1'])], {}), undefined);
  });
});
