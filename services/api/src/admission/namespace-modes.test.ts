import assert from 'node:assert/strict';
import { it } from 'node:test';
import { namespaceModes } from './namespace-modes.js';

it('the longest matching glob wins, then the one with fewer wildcards; else the default', () => {
  const modeOf = namespaceModes({
    defaultMode: 'enforce',
    namespaces: {
      'team-*': 'warn',
      'team-pay*': 'enforce',
      'sandbox-?': 'dry-run',
      'a.b': 'warn',
      '*-?': 'dry-run',
    },
  });
  assert.equal(modeOf('team-web'), 'warn');
  assert.equal(modeOf('team-payments'), 'enforce');
  assert.equal(modeOf('sandbox-1'), 'dry-run');
  assert.equal(modeOf('sandbox-12'), 'enforce');
  assert.equal(modeOf('a.b'), 'warn');
  assert.equal(modeOf('axb'), 'enforce', 'a dot is a dot');
  assert.equal(modeOf('prod'), 'enforce');
  assert.equal(modeOf('x-y'), 'dry-run');
});
