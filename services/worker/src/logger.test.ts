import assert from 'node:assert/strict';
import test from 'node:test';
import { createWorkerLogger } from './logger.js';

test('secrets are censored even when a whole registry or S3 setting is logged by mistake', () => {
  const lines: string[] = [];
  const logger = createWorkerLogger({ destination: { write: (line: string) => lines.push(line) } });
  logger.info(
    {
      registry: { host: 'r.example', credentials: { username: 'scanner', password: 'hunter2' } },
      s3: { bucket: 'b', secretAccessKey: 'AKIA-SECRET' },
      password: 'top-level',
    },
    'oops',
  );
  const [line] = lines;
  assert.ok(line);
  const entry: Record<string, unknown> = JSON.parse(line);
  assert.deepEqual(entry.registry, { host: 'r.example', credentials: '[redacted]' });
  assert.deepEqual(entry.s3, { bucket: 'b', secretAccessKey: '[redacted]' });
  assert.equal(entry.password, '[redacted]');
  assert.equal(entry.name, 'customs-worker');
  for (const secret of ['hunter2', 'AKIA-SECRET', 'top-level']) assert.ok(!line.includes(secret));
});
