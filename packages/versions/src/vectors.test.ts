import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { schemeForEcosystem } from './ecosystems.js';
import { APK_CONFLICTS, OSV_VECTOR_FILES } from './testing/osv-vectors.js';
import { EXPECTED, readVectorLines } from './testing/vector-file.js';

function outcome(compare: () => number): number | 'error' {
  try {
    return compare();
  } catch (error) {
    assert.ok(isCustomsError(error, 'INVALID_VERSION'), `unexpected ${String(error)}`);
    return 'error';
  }
}

for (const [file, ecosystems] of OSV_VECTOR_FILES) {
  for (const ecosystem of ecosystems) {
    test(`${file} as ${ecosystem}: every line holds both ways`, () => {
      const scheme = schemeForEcosystem(ecosystem);
      const lines = readVectorLines(file);
      assert.ok(lines.length > 0);
      const failures: string[] = [];
      let conflicts = 0;
      for (const { line, words, text } of lines) {
        const [a = '', op = '', b = ''] = words;
        const conflict = ecosystem === 'Alpine' ? APK_CONFLICTS.get(text.trim()) : undefined;
        const expected =
          conflict === undefined ? EXPECTED[op] : conflict === 'error' ? 'error' : EXPECTED[conflict];
        if (conflict !== undefined) conflicts++;
        const forward = outcome(() => scheme.compare(a, b));
        const backward = outcome(() => scheme.compare(b, a));
        const reversed = typeof expected === 'number' ? -expected || 0 : expected;
        if (forward !== expected || backward !== reversed)
          failures.push(`line ${line}: ${text} → ${forward} / ${backward}`);
      }
      assert.deepEqual(failures, []);
      assert.equal(
        conflicts,
        ecosystem === 'Alpine' && file === 'osv-alpine-versions.txt' ? APK_CONFLICTS.size : 0,
      );
    });
  }
}
