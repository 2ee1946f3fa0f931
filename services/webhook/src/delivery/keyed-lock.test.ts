import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyedLock } from './keyed-lock.js';

test('tasks of one key run one at a time in arrival order; other keys do not wait', async () => {
  const lock = new KeyedLock();
  const order: string[] = [];
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const task = (name: string, ms: number) => async () => {
    order.push(`${name} start`);
    await pause(ms);
    order.push(`${name} end`);
    return name;
  };
  const results = await Promise.all([
    lock.run('a', task('a1', 30)),
    lock.run('a', task('a2', 1)),
    lock.run('b', task('b1', 1)),
  ]);
  assert.deepEqual(results, ['a1', 'a2', 'b1']);
  assert.deepEqual(order, ['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
});

test('a failing task does not block the next one of its key', async () => {
  const lock = new KeyedLock();
  await assert.rejects(
    lock.run('a', () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.equal(await lock.run('a', () => Promise.resolve('after')), 'after');
});
