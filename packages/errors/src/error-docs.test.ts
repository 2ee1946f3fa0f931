import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { errorCodes } from './codes.js';
import { renderErrorDocs } from './error-docs.js';

const DOCS = new URL('../../../docs/errors.md', import.meta.url);

test('docs/errors.md is what the code table renders now', async () => {
  const committed = await readFile(DOCS, 'utf8');
  assert.ok(
    committed === renderErrorDocs(),
    'docs/errors.md is stale: run `npm run docs -w @customs/errors` and commit it',
  );
});

test('the page has one row per code, with its retryability, summary and action', () => {
  const page = renderErrorDocs();
  for (const [code, { retryable, summary, action }] of Object.entries(errorCodes)) {
    const rows = page.split('\n').filter((line) => line.startsWith(`| \`${code}\` `));
    assert.equal(rows.length, 1, `${code} has one row`);
    const cells = (rows[0] ?? '')
      .slice(1, -1)
      .split(' | ')
      .map((text) => text.trim());
    assert.deepEqual(cells, [`\`${code}\``, retryable ? 'yes' : 'no', summary, action], code);
  }
});
