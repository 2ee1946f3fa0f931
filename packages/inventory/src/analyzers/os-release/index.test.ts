import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CollectedFile } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { osRelease } from './index.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/os-release/', import.meta.url));
const file = (path: string, fixture: string): CollectedFile => ({
  path,
  data: readFileSync(fixtures + fixture),
  mode: 0o644,
});
const link = (path: string, linkTarget: string): CollectedFile => ({
  path,
  data: Buffer.alloc(0),
  mode: 0o777,
  linkTarget,
});
const context = { isLanguagePath: () => false };
const analyze = (...files: CollectedFile[]) => osRelease.analyze(new FileSet(files), context);

test('required() selects exactly the release files (syft-style path list)', () => {
  const info = { size: 300, mode: 0o644, kind: 'file' } as const;
  const selected = [
    'etc/os-release',
    'usr/lib/os-release',
    'etc/alpine-release',
    'etc/debian_version',
    'etc/redhat-release',
    'etc/centos-release',
    'etc/rocky-release',
    'etc/almalinux-release',
    'etc/fedora-release',
    'etc/lsb-release',
  ];
  const rejected = [
    '/etc/os-release',
    'etc/os-release.d/x',
    'usr/etc/os-release',
    'etc/system-release',
    'etc/oracle-release',
    'etc/issue',
    'var/lib/etc/os-release',
    'etc/debian_version.bak',
  ];
  for (const path of selected) assert.equal(osRelease.required(path, info), true, path);
  for (const path of rejected) assert.equal(osRelease.required(path, info), false, path);
});

test('etc/os-release symlinked to ../usr/lib/os-release resolves within the layer', async () => {
  const result = await analyze(
    link('etc/os-release', '../usr/lib/os-release'),
    file('usr/lib/os-release', 'debian-12-bookworm.os-release'),
    file('etc/debian_version', 'debian-12-bookworm.debian_version'),
  );
  assert.deepEqual(result, {
    packages: [],
    distro: {
      id: 'debian',
      versionId: '12',
      codename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    },
    warnings: [],
  });
});

test('a dangling os-release link (target in a lower layer) falls back to the next file', async () => {
  const result = await analyze(
    link('etc/os-release', '../usr/lib/os-release'),
    file('etc/debian_version', 'debian-sid-forky.debian_version'),
  );
  assert.deepEqual(result.distro, { id: 'debian', versionId: null, codename: 'forky', prettyName: null });
});

test('Debian unstable: os-release and debian_version agree there is no version number', async () => {
  const result = await analyze(
    link('etc/os-release', '../usr/lib/os-release'),
    file('usr/lib/os-release', 'debian-sid-forky.os-release'),
    file('etc/debian_version', 'debian-sid-forky.debian_version'),
  );
  assert.deepEqual(result.distro, {
    id: 'debian',
    versionId: null,
    codename: 'forky',
    prettyName: 'Debian GNU/Linux forky/sid',
  });
});

test('distroless: os-release without VERSION_ID takes the number from debian_version', async () => {
  const result = await analyze(
    file('etc/os-release', 'syft-distroless.os-release'),
    file('etc/debian_version', 'syft-distroless.debian_version'),
  );
  assert.deepEqual(result.distro, {
    id: 'debian',
    versionId: '10',
    codename: null,
    prettyName: 'Distroless',
  });
});

test('os-release beats the Red Hat release files; they are used when it is absent', async () => {
  const withOsRelease = await analyze(
    file('etc/os-release', 'trivy-rhel.os-release'),
    file('etc/redhat-release', 'syft-rhel.redhat-release'),
  );
  assert.equal(withOsRelease.distro?.versionId, '9.4');
  const without = await analyze(
    file('etc/centos-release', 'trivy-centos.centos-release'),
    link('etc/redhat-release', 'centos-release'),
  );
  assert.deepEqual(without.distro, {
    id: 'centos',
    versionId: '7.6.1810',
    codename: 'Core',
    prettyName: 'CentOS Linux release 7.6.1810 (Core)',
  });
});

test('lsb-release is read before debian_version (Ubuntu-style derivatives ship both)', async () => {
  const result = await analyze(
    file('etc/lsb-release', 'elementary-6.lsb-release'),
    file('etc/debian_version', 'trivy-buster-sid.debian_version'),
  );
  assert.equal(result.distro?.id, 'elementary');
});

test('a layer without release files yields no distro and no warning', async () => {
  assert.deepEqual(await analyze(), { packages: [] });
});
