import assert from 'node:assert/strict';
import test from 'node:test';
import { toPurl } from './purl.js';

const bookworm = { id: 'debian', versionId: '12' };

test('deb purls carry the distro as namespace and qualifier', () => {
  const purl = toPurl(
    { type: 'deb', name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64', path: 'var/lib/dpkg/status' },
    bookworm,
  );
  assert.equal(purl, 'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12');
});

test('rpm epochs become a qualifier', () => {
  const purl = toPurl(
    {
      type: 'rpm',
      name: 'openssl',
      version: '1:1.1.1k-7.el8',
      arch: 'x86_64',
      path: 'var/lib/rpm/rpmdb.sqlite',
    },
    { id: 'rhel', versionId: '8.9' },
  );
  assert.equal(purl, 'pkg:rpm/rhel/openssl@1.1.1k-7.el8?arch=x86_64&distro=rhel-8.9&epoch=1');
});

test('language purls split namespaces the way each ecosystem does', () => {
  const at = (type: 'npm' | 'maven' | 'golang' | 'pypi', name: string, version: string) =>
    toPurl({ type, name, version, path: 'x' }, bookworm);
  assert.equal(at('npm', '@babel/core', '7.0.0'), 'pkg:npm/%40babel/core@7.0.0');
  assert.equal(at('npm', 'lodash', '4.17.15'), 'pkg:npm/lodash@4.17.15');
  assert.equal(
    at('maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'),
    'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
  );
  assert.equal(at('golang', 'golang.org/x/text', 'v0.3.7'), 'pkg:golang/golang.org/x/text@v0.3.7');
  assert.equal(at('pypi', 'Jinja2', '3.1.2'), 'pkg:pypi/jinja2@3.1.2');
  assert.equal(at('pypi', 'zope.interface', '5.0'), 'pkg:pypi/zope-interface@5.0');
});
