import assert from 'node:assert/strict';
import test from 'node:test';
import { reportRedisFailures } from './unreachable-log.js';

test('failures are reported once per interval, each report counting the failures it stands for', () => {
  let clock = 0;
  const reports: Array<[string, number]> = [];
  const failed = reportRedisFailures((error, failures) => reports.push([error.message, failures]), {
    intervalMs: 2_000,
    now: () => clock,
  });
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
  failed(refused); // reported at once
  for (clock = 100; clock < 2_000; clock += 100) failed(refused); // 19 more within the interval
  failed(refused); // clock 2000: the next report, standing for those 19 and itself
  clock = 2_500;
  failed(new Error('ETIMEDOUT'));
  clock = 4_000;
  failed(new Error('ETIMEDOUT'));
  assert.deepEqual(reports, [
    ['connect ECONNREFUSED 127.0.0.1:6379', 1],
    ['connect ECONNREFUSED 127.0.0.1:6379', 20],
    ['ETIMEDOUT', 2],
  ]);
});
