import assert from 'node:assert/strict';
import test from 'node:test';
import { loopbackUrl } from './publish-control.js';

test('a server bound to every interface or to loopback is asked on 127.0.0.1; one bound elsewhere is not', () => {
  assert.equal(loopbackUrl('http://[::]:8080'), 'http://127.0.0.1:8080');
  assert.equal(loopbackUrl('http://0.0.0.0:8080'), 'http://127.0.0.1:8080');
  assert.equal(loopbackUrl('http://127.0.0.1:41234'), 'http://127.0.0.1:41234');
  assert.equal(loopbackUrl('http://10.1.2.3:8080'), null);
});
