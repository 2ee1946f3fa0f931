import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAssignments } from './parse-assignments.js';
import { parseLsbRelease, parseOsRelease } from './parse-os-release.js';
import { parseAlpineRelease, parseDebianVersion, parseRedHatRelease } from './parse-release-line.js';

const fixtures = fileURLToPath(new URL('../../../../../test/fixtures/os-release/', import.meta.url));
const fixture = (name: string) => readFileSync(fixtures + name, 'utf8');

test('Debian 12 os-release (base-files 12.4+deb12u11)', () => {
  assert.deepEqual(parseOsRelease(fixture('debian-12-bookworm.os-release')), {
    distro: {
      id: 'debian',
      versionId: '12',
      codename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    },
    warnings: [],
  });
});

test('Debian unstable os-release has no VERSION_ID: versionId null, codename kept', () => {
  assert.deepEqual(parseOsRelease(fixture('debian-sid-forky.os-release')).distro, {
    id: 'debian',
    versionId: null,
    codename: 'forky',
    prettyName: 'Debian GNU/Linux forky/sid',
  });
});

test('unquoted, double-quoted and mixed os-release values from Alpine, RHEL and SLES', () => {
  assert.deepEqual(parseOsRelease(fixture('trivy-alpine.os-release')).distro, {
    id: 'alpine',
    versionId: '3.15.4',
    codename: null,
    prettyName: 'Alpine Linux v3.15',
  });
  assert.deepEqual(parseOsRelease(fixture('trivy-rhel.os-release')).distro, {
    id: 'rhel',
    versionId: '9.4',
    codename: null,
    prettyName: 'Red Hat Enterprise Linux 9.4 (Plow)',
  });
  assert.deepEqual(parseOsRelease(fixture('trivy-sles.os-release')).distro, {
    id: 'sles',
    versionId: '15.3',
    codename: null,
    prettyName: 'SUSE Linux Enterprise Server 15 SP3',
  });
});

test('quoting and escapes follow os-release(5) (synthetic lines)', () => {
  const { values, warnings } = parseAssignments(
    [
      '# a comment',
      'A="double \\"quoted\\" \\$HOME \\`cmd\\` back\\\\slash \\n kept"',
      "B='single $HOME \\n literal'",
      'C=unquoted\\ with\\ escaped\\ spaces',
      'D="joined"\'parts\'',
      'E=',
      'not an assignment',
      'F="unterminated',
      'G=first',
      'G=second',
    ].join('\n'),
  );
  assert.deepEqual(Object.fromEntries(values), {
    A: 'double "quoted" $HOME `cmd` back\\slash \\n kept',
    B: 'single $HOME \\n literal',
    C: 'unquoted with escaped spaces',
    D: 'joinedparts',
    E: '',
    F: 'unterminated',
    G: 'second',
  });
  assert.deepEqual(warnings, ['line 7 is not a KEY=value assignment', 'line 8: unterminated quote in F']);
});

test('os-release without ID names no distro and says so', () => {
  assert.deepEqual(parseOsRelease('NAME="Something"\nVERSION_ID=1\n'), {
    distro: undefined,
    warnings: ['no ID in os-release'],
  });
});

test('debian_version: point releases keep the major number, testing/sid keeps the codename', () => {
  assert.deepEqual(parseDebianVersion(fixture('debian-12-bookworm.debian_version')).distro, {
    id: 'debian',
    versionId: '12',
    codename: null,
    prettyName: null,
  });
  assert.equal(parseDebianVersion(fixture('syft-point-release.debian_version')).distro?.versionId, '13');
  assert.equal(parseDebianVersion(fixture('syft-distroless.debian_version')).distro?.versionId, '10');
  assert.deepEqual(parseDebianVersion(fixture('debian-sid-forky.debian_version')).distro, {
    id: 'debian',
    versionId: null,
    codename: 'forky',
    prettyName: null,
  });
  assert.deepEqual(parseDebianVersion(fixture('trivy-buster-sid.debian_version')).distro, {
    id: 'debian',
    versionId: null,
    codename: 'buster',
    prettyName: null,
  });
  assert.deepEqual(parseDebianVersion('garbage here\n'), {
    distro: undefined,
    warnings: ['debian_version "garbage here" is neither a version nor a codename'],
  });
});

test('Red Hat family release lines map to os-release IDs', () => {
  assert.deepEqual(parseRedHatRelease(fixture('trivy-centos.centos-release')).distro, {
    id: 'centos',
    versionId: '7.6.1810',
    codename: 'Core',
    prettyName: 'CentOS Linux release 7.6.1810 (Core)',
  });
  assert.deepEqual(parseRedHatRelease(fixture('trivy-alma.almalinux-release')).distro, {
    id: 'almalinux',
    versionId: '8.4',
    codename: 'Electric Cheetah',
    prettyName: 'AlmaLinux release 8.4 (Electric Cheetah)',
  });
  assert.deepEqual(parseRedHatRelease(fixture('trivy-rocky.rocky-release')).distro, {
    id: 'rocky',
    versionId: '8.4',
    codename: 'Green Obsidian',
    prettyName: 'Rocky Linux release 8.4 (Green Obsidian)',
  });
  assert.deepEqual(parseRedHatRelease(fixture('syft-rhel.redhat-release')).distro, {
    id: 'rhel',
    versionId: '8.10',
    codename: 'Ootpa',
    prettyName: 'Red Hat Enterprise Linux release 8.10 (Ootpa)',
  });
  assert.deepEqual(parseRedHatRelease('Some OS release 1\n'), {
    distro: undefined,
    warnings: ['unrecognised release line "Some OS release 1"'],
  });
});

test('lsb-release and alpine-release', () => {
  assert.deepEqual(parseLsbRelease(fixture('elementary-6.lsb-release')).distro, {
    id: 'elementary',
    versionId: '6',
    codename: 'odin',
    prettyName: 'elementary OS 6 Odin',
  });
  // Synthetic: alpine-release is one line holding the version.
  assert.deepEqual(parseAlpineRelease('3.19.1\n').distro, {
    id: 'alpine',
    versionId: '3.19.1',
    codename: null,
    prettyName: null,
  });
  assert.deepEqual(parseAlpineRelease('\n'), { distro: undefined, warnings: ['alpine-release is empty'] });
});
