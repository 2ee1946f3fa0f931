import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { schemeForEcosystem } from '../ecosystems.js';
import { parseRelation, relationHolds } from '../relation.js';
import { readVectorLines } from '../testing/vector-file.js';
import { apk } from './apk.js';

test('apk-tools-version.data: every comparison, fuzzy match and validity line holds', () => {
  const alpine = schemeForEcosystem('Alpine');
  const lines = readVectorLines('apk-tools-version.data');
  const failures: string[] = [];
  let comparisons = 0;
  let validity = 0;
  for (const { line, words, text } of lines) {
    if (words.length === 3) {
      const [a = '', op = '', b = ''] = words;
      const relation = parseRelation(op);
      assert.ok(relation, `line ${line}: operator ${op}`);
      comparisons++;
      if (!relationHolds(alpine, a, relation, b)) failures.push(`line ${line}: ${text}`);
    } else {
      assert.equal(words.length, 1, `line ${line}`);
      const word = words[0] ?? '';
      const wantValid = !word.startsWith('!');
      validity++;
      if (alpine.isValid(wantValid ? word : word.slice(1)) !== wantValid)
        failures.push(`line ${line}: ${text}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.equal(comparisons, 377);
  assert.equal(validity, 16);
});

test('apk orders tokens as apk-tools v3 does', () => {
  assert.equal(apk.compare('1.2_rc1', '1.2'), -1);
  assert.equal(apk.compare('1.2_p1', '1.2'), 1);
  assert.equal(apk.compare('1.2-r1', '1.2'), 1);
  assert.equal(apk.compare('1.02', '1.1'), -1, 'a leading zero compares as text');
  assert.equal(apk.compare('1.0', '1.00'), -1);
  assert.equal(apk.compare('1.0~abc', '1.0~abd'), -1, 'commit hashes compare as text');
  assert.equal(apk.compare('1.2.0D', '1.2.0d'), -1, 'an invalid token sorts below a valid one');
  assert.equal(apk.compare('6.0.2p1-r0', '6.0.2p1-r3'), -1, 'digits after the letter, as apk 2.x read them');
});

test('apk refuses to order what apk-tools cannot', () => {
  for (const [a, b] of [
    ['a', 'b'],
    ['1-ruff2', '1-ruff1'],
    ['', '1'],
  ] as const) {
    assert.throws(
      () => schemeForEcosystem('Alpine').compare(a, b),
      (error: unknown) =>
        isCustomsError(error, 'INVALID_VERSION') && error.message.startsWith('invalid Alpine version'),
    );
  }
  assert.equal(apk.compare('1-ruff2', '1-ruff2'), 0, 'the same string is still equal to itself');
  assert.equal(apk.isValid('1.2.3_rc1-r0'), true);
  assert.equal(apk.isValid('6.0.2p1-r0'), false, 'apk v3 rejects digits after the letter');
});

test('fuzzy matching: the right side is a token prefix of the left', () => {
  assert.equal(apk.compareFuzzy?.('3.6.9', '3.6'), 0);
  assert.equal(apk.compareFuzzy?.('3.7.0', '3.6'), 1);
  assert.equal(apk.compareFuzzy?.('3.6', '3.6.9'), -1);
});
