import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('reads a Docker Hub bearer challenge', () => {
    assert.deepEqual(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull"',
      ),
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/debian:pull',
          },
        },
      ],
    );
  });

  it('keeps commas inside quoted values and reads error="insufficient_scope"', () => {
    const [challenge] = parseWwwAuthenticate(
      'Bearer realm="http://127.0.0.1:5052/token",service="e2e-registry",scope="repository:demo/app:pull,push",error="insufficient_scope"',
    );
    assert.deepEqual(challenge?.params, {
      realm: 'http://127.0.0.1:5052/token',
      service: 'e2e-registry',
      scope: 'repository:demo/app:pull,push',
      error: 'insufficient_scope',
    });
  });

  it('reads several challenges in one header and across headers', () => {
    assert.deepEqual(parseWwwAuthenticate(['Basic realm="a, b", Bearer realm="r",service=s', 'Negotiate']), [
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'bearer', params: { realm: 'r', service: 's' } },
      { scheme: 'negotiate', params: {} },
    ]);
  });

  it('tolerates spaces around =, token values, escaped quotes and odd casing', () => {
    assert.deepEqual(parseWwwAuthenticate('BEARER  Realm = "x\\"y" , Service=svc ,  scope="a b"'), [
      { scheme: 'bearer', params: { realm: 'x"y', service: 'svc', scope: 'a b' } },
    ]);
  });

  it('survives malformed input without looping', () => {
    assert.deepEqual(parseWwwAuthenticate(undefined), []);
    assert.deepEqual(parseWwwAuthenticate(''), []);
    assert.deepEqual(parseWwwAuthenticate('Bearer realm="unterminated'), [
      { scheme: 'bearer', params: { realm: 'unterminated' } },
    ]);
    assert.deepEqual(parseWwwAuthenticate('Basic ,,, realm=x'), [
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
    assert.equal(parseWwwAuthenticate('Negotiate abc==, Basic realm="r"').at(-1)?.scheme, 'basic');
  });
});
