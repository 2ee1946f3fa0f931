import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { schemeForEcosystem } from './ecosystems.js';
import { OSV_VECTOR_FILES, VECTOR_CONFLICTS } from './testing/osv-vectors.js';
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
      const conflicts = VECTOR_CONFLICTS.get(ecosystem);
      const lines = readVectorLines(file);
      assert.ok(lines.length > 0);
      const failures: string[] = [];
      for (const { line, words, text } of lines) {
        const [a = '', op = '', b = ''] = words;
        const conflict = conflicts?.get(text.trim());
        const expected =
          conflict === undefined ? EXPECTED[op] : conflict === 'error' ? 'error' : EXPECTED[conflict];
        const forward = outcome(() => scheme.compare(a, b));
        const backward = outcome(() => scheme.compare(b, a));
        const reversed = typeof expected === 'number' ? -expected || 0 : expected;
        if (forward !== expected || backward !== reversed)
          failures.push(`line ${line}: ${text} → ${forward} / ${backward}`);
      }
      assert.deepEqual(failures, []);
    });
  }
}

test('every exception names a line of its ecosystem’s vector files, so none outlives its line', () => {
  for (const [ecosystem, conflicts] of VECTOR_CONFLICTS) {
    const lines = new Set(
      OSV_VECTOR_FILES.filter(([, ecosystems]) => ecosystems.includes(ecosystem)).flatMap(([file]) =>
        readVectorLines(file).map(({ text }) => text.trim()),
      ),
    );
    assert.deepEqual(
      [...conflicts.keys()].filter((line) => !lines.has(line)),
      [],
      ecosystem,
    );
  }
});
