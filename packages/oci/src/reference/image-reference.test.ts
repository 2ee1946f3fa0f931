import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import {
  formatImageReference,
  isLoopbackRegistry,
  parseImageReference,
  registryApiHost,
  registryHostname,
} from './image-reference.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  const table: Array<[string, string, string, string | null, string | null]> = [
    // written                              registry          repository            tag        digest
    ['debian', 'docker.io', 'library/debian', 'latest', null],
    ['debian:bookworm', 'docker.io', 'library/debian', 'bookworm', null],
    ['library/debian:12', 'docker.io', 'library/debian', '12', null],
    ['docker.io/debian', 'docker.io', 'library/debian', 'latest', null],
    ['index.docker.io/library/debian', 'docker.io', 'library/debian', 'latest', null],
    ['bitnami/redis:7.2', 'docker.io', 'bitnami/redis', '7.2', null],
    ['ghcr.io/org/team/app:1.0', 'ghcr.io', 'org/team/app', '1.0', null],
    ['host:5000/a/b:tag', 'host:5000', 'a/b', 'tag', null],
    ['host:5000/a/b', 'host:5000', 'a/b', 'latest', null],
    ['localhost/x', 'localhost', 'x', 'latest', null],
    ['localhost:5000/x:y', 'localhost:5000', 'x', 'y', null],
    ['127.0.0.1:5000/demo/app:1.0', '127.0.0.1:5000', 'demo/app', '1.0', null],
    ['[::1]:5000/demo/app', '[::1]:5000', 'demo/app', 'latest', null],
    [`debian@${digest}`, 'docker.io', 'library/debian', null, digest],
    [`debian:bookworm@${digest}`, 'docker.io', 'library/debian', 'bookworm', digest],
    [`quay.io/a/b:c@${digest}`, 'quay.io', 'a/b', 'c', digest],
    ['Registry.Example/app', 'Registry.Example', 'app', 'latest', null],
    ['a/b_c__d-e--f.g', 'docker.io', 'a/b_c__d-e--f.g', 'latest', null],
  ];
  for (const [written, registry, repository, tag, expectedDigest] of table) {
    it(`reads ${written}`, () => {
      assert.deepEqual(parseImageReference(written), { registry, repository, tag, digest: expectedDigest });
    });
  }

  const invalid: Array<[string, RegExp]> = [
    ['', /empty/],
    ['Debian', /lowercase/],
    ['a'.repeat(64), /image ID/],
    ['debian:', /not a valid tag/],
    ['debian:-bad', /not a valid tag/],
    ['debian@sha256:abc', /not a sha256 or sha512 digest/],
    ['debian@md5:' + 'a'.repeat(32), /not a sha256 or sha512 digest/],
    ['/abs/path', /not a valid repository name/],
    ['./relative', /not a valid registry host|not a valid repository name/],
    ['a//b', /not a valid repository name/],
    ['a/-b', /not a valid repository name/],
    ['ho_st:5000/a', /not a valid registry host/],
    [`docker.io/${'a'.repeat(250)}`, /longer than 255/],
  ];
  for (const [written, message] of invalid) {
    it(`rejects ${JSON.stringify(written.slice(0, 40))}`, () => {
      assert.throws(
        () => parseImageReference(written),
        (error: unknown) => isCustomsError(error, 'INVALID_REFERENCE') && message.test(error.message),
      );
    });
  }
});

describe('reference helpers', () => {
  it('formats the fully qualified form', () => {
    assert.equal(formatImageReference(parseImageReference('debian')), 'docker.io/library/debian:latest');
    assert.equal(formatImageReference(parseImageReference(`h:1/a@${digest}`)), `h:1/a@${digest}`);
  });

  it('sends Docker Hub to its API host and leaves others alone', () => {
    assert.equal(registryApiHost('docker.io'), 'registry-1.docker.io');
    assert.equal(registryApiHost('ghcr.io'), 'ghcr.io');
    assert.equal(registryApiHost('localhost:5000'), 'localhost:5000');
  });

  it('knows loopback registries', () => {
    assert.equal(registryHostname('[::1]:5000'), '::1');
    assert.equal(registryHostname('host:5000'), 'host');
    assert.deepEqual(
      [
        'localhost',
        'localhost:5000',
        '127.0.0.1:5000',
        '127.9.9.9',
        '[::1]:5000',
        'ghcr.io',
        '10.0.0.1:5000',
      ].map(isLoopbackRegistry),
      [true, true, true, true, true, false, false],
    );
  });
});
