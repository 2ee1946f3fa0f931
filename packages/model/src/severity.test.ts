import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RATED_SEVERITIES,
  SEVERITIES,
  parseSeverity,
  severityForCvssScore,
  severityRank,
  zeroSeverityCounts,
} from './severity.js';

describe('the severity ladder', () => {
  it('ranks CRITICAL first and UNKNOWN last, after every rated severity', () => {
    assert.deepEqual(
      SEVERITIES.map((severity) => [severity, severityRank(severity)]),
      [
        ['CRITICAL', 0],
        ['HIGH', 1],
        ['MEDIUM', 2],
        ['LOW', 3],
        ['NEGLIGIBLE', 4],
        ['UNKNOWN', 5],
      ],
    );
    assert.equal(RATED_SEVERITIES.length, SEVERITIES.length - 1);
  });

  it('counts start at zero for every severity, and each count is a fresh object', () => {
    const counts = zeroSeverityCounts();
    assert.deepEqual(Object.keys(counts), [...SEVERITIES]);
    assert.ok(Object.values(counts).every((count) => count === 0));
    counts.HIGH += 1;
    assert.equal(zeroSeverityCounts().HIGH, 0);
  });
});

describe('parseSeverity', () => {
  it('reads names in any case and CVSS/OSV NONE as NEGLIGIBLE', () => {
    assert.equal(parseSeverity('high'), 'HIGH');
    assert.equal(parseSeverity(' Unknown '), 'UNKNOWN');
    assert.equal(parseSeverity('NONE'), 'NEGLIGIBLE');
    assert.equal(parseSeverity('none'), 'NEGLIGIBLE');
  });

  it('is null for words that are not on the ladder', () => {
    for (const word of ['', 'MODERATE', 'URGENT', 'HIGHEST']) assert.equal(parseSeverity(word), null, word);
  });
});

describe('severityForCvssScore (FIRST qualitative scale; NVD v2 has no critical)', () => {
  it('maps each band edge of CVSS 3.x and 4.0', () => {
    const bands: Array<[number, string]> = [
      [0, 'NEGLIGIBLE'],
      [0.1, 'LOW'],
      [3.9, 'LOW'],
      [4, 'MEDIUM'],
      [6.9, 'MEDIUM'],
      [7, 'HIGH'],
      [8.9, 'HIGH'],
      [9, 'CRITICAL'],
      [10, 'CRITICAL'],
    ];
    for (const version of [3, 4] as const) {
      assert.deepEqual(
        bands.map(([score]) => [score, severityForCvssScore(score, version)]),
        bands,
      );
    }
  });

  it('rates CVSS 2 scores of 9 and above HIGH', () => {
    assert.equal(severityForCvssScore(10, 2), 'HIGH');
    assert.equal(severityForCvssScore(0, 2), 'NEGLIGIBLE');
  });
});
