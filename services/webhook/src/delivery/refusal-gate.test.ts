import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRefusalGate } from './refusal-gate.js';

test('each address gets its own allowance per minute, renewed when the minute turns', () => {
  let clock = 120_000;
  const gate = createRefusalGate({ perMinute: 2, now: () => clock });
  const tries = (address: string, n: number) => Array.from({ length: n }, () => gate.admit(address));
  assert.deepEqual(tries('10.0.0.1', 3), [true, true, false]);
  assert.deepEqual(tries('10.0.0.2', 1), [true]);
  clock += 59_999;
  assert.deepEqual(tries('10.0.0.1', 1), [false]);
  clock += 1;
  assert.deepEqual(tries('10.0.0.1', 3), [true, true, false]);
});

test('past maxAddresses in one minute, new addresses are over the limit', () => {
  const gate = createRefusalGate({ perMinute: 5, now: () => 0, maxAddresses: 2 });
  assert.deepEqual(
    ['a', 'b', 'c', 'a'].map((address) => gate.admit(address)),
    [true, true, false, true],
  );
});
