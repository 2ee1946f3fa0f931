import assert from 'node:assert/strict';
import test from 'node:test';
import { judgeSecrets, type SecretRef } from './secrets-policy.js';
import { worseVerdict } from './verdict.js';

const deleted: SecretRef = {
  ruleId: 'private-key',
  severity: 'CRITICAL',
  path: 'etc/k.pem',
  layerIndex: 1,
  removedInLayer: 2,
};
const jwt: SecretRef = {
  ruleId: 'jwt',
  severity: 'MEDIUM',
  path: 'app/t',
  layerIndex: 3,
  removedInLayer: null,
};

test('secrets fail by default, warn or are ignored as policy.secrets says, deleted ones included', () => {
  assert.equal(judgeSecrets([jwt, deleted])?.verdict, 'fail');
  assert.equal(judgeSecrets([jwt], 'warn')?.verdict, 'warn');
  assert.equal(judgeSecrets([deleted], 'ignore'), null);
  assert.equal(judgeSecrets([]), null);
  const reason = judgeSecrets([jwt, deleted])?.reason;
  assert.equal(reason?.code, 'SECRETS_FOUND');
  assert.equal(reason?.severity, 'CRITICAL');
  assert.equal(reason?.count, 2);
  assert.match(
    reason?.message ?? '',
    /private-key in etc\/k\.pem \(layer 1, removed in layer 2 but still extractable\)/,
  );
});

test('the worse verdict wins; error stays error', () => {
  assert.equal(worseVerdict('pass', 'fail'), 'fail');
  assert.equal(worseVerdict('warn', 'pass'), 'warn');
  // As everywhere a verdict is combined: findings over the bar decide before an incomplete scan.
  assert.equal(worseVerdict('error', 'fail'), 'fail');
});
