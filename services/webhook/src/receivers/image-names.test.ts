import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDigest, nameProblem, splitImageUrl, urlHost } from './image-names.js';

test('splitImageUrl reads the forms Harbor, Quay and GHCR write', () => {
  assert.deepEqual(splitImageUrl('hub.harbor.com/test-webhook/debian:latest'), {
    registry: 'hub.harbor.com',
    repository: 'test-webhook/debian',
    tag: 'latest',
    digest: null,
  });
  assert.deepEqual(splitImageUrl('harbor.local:8443/lib/app@sha256:abc'), {
    registry: 'harbor.local:8443',
    repository: 'lib/app',
    tag: null,
    digest: 'sha256:abc',
  });
  // GHCR's package_url of an untagged version ends in a bare colon.
  assert.deepEqual(splitImageUrl('ghcr.io/Codertocat/hello-world:'), {
    registry: 'ghcr.io',
    repository: 'Codertocat/hello-world',
    tag: null,
    digest: null,
  });
  assert.equal(splitImageUrl('no-registry'), null);
  assert.equal(splitImageUrl('/leading/slash'), null);
});

test('names that would bend a registry URL are refused', () => {
  assert.equal(nameProblem('library/debian', 'bookworm'), null);
  assert.equal(nameProblem('a/../../v2/other', 'x'), '"a/../../v2/other" is not a valid repository name');
  assert.equal(nameProblem('Upper/case', null), '"Upper/case" is not a valid repository name');
  assert.equal(nameProblem('ok', 'bad/tag'), '"bad/tag" is not a valid tag');
  assert.equal(nameProblem('ok%2Fx', null), '"ok%2Fx" is not a valid repository name');
});

test('digests are sha256 with 64 hex digits; urlHost keeps the port', () => {
  assert.equal(isDigest(`sha256:${'a'.repeat(64)}`), true);
  assert.equal(isDigest(`sha256:${'a'.repeat(60)}`), false);
  assert.equal(isDigest(`sha512:${'a'.repeat(128)}`), false);
  assert.equal(urlHost('http://127.0.0.1:5000/v2/x/manifests/y'), '127.0.0.1:5000');
  assert.equal(urlHost('not a url'), null);
});
