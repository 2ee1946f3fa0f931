import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventDocument } from './events.js';
import { renderBody } from './payloads.js';

const failed: EventDocument = {
  id: '6f1c2d4e-0000-4000-8000-000000000000',
  type: 'scan.failed',
  cursor: '7',
  occurredAt: '2026-01-02T03:04:05.000Z',
  data: {
    digest: `sha256:${'d'.repeat(64)}`,
    repository: 'team/app',
    scanId: 'a3b1c2d4-0000-4000-8000-000000000000',
    error: { code: 'REGISTRY_AUTH_FAILED', message: 'the registry rejected the credentials' },
  },
};

test('json sends the event document as it is', () => {
  assert.deepEqual(JSON.parse(renderBody('json', failed)), failed);
});

test('slack sends one line of text, and the same line as a section block', () => {
  const message = JSON.parse(renderBody('slack', failed));
  assert.equal(
    message.text,
    `Scan of team/app@sha256:${'d'.repeat(64)} failed for good: REGISTRY_AUTH_FAILED: the registry rejected the credentials`,
  );
  assert.deepEqual(message.blocks, [{ type: 'section', text: { type: 'mrkdwn', text: message.text } }]);
});
