import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { affectedQueriesFor, distroEcosystem } from './distro-ecosystem.js';
import { splitEcosystem } from './ecosystem-name.js';

describe('distroEcosystem', () => {
  const cases: Array<[string, string | null, string | null, string | null]> = [
    // [os-release ID, VERSION_ID, VERSION_CODENAME, expected OSV ecosystem]
    ['debian', '12', 'bookworm', 'Debian:12'],
    ['debian', null, 'trixie', 'Debian:13'],
    ['debian', null, 'sid', 'Debian:sid'],
    ['alpine', '3.19.1', null, 'Alpine:v3.19'],
    ['ubuntu', '22.04', 'jammy', 'Ubuntu:22.04:LTS'],
    ['ubuntu', '23.10', 'mantic', 'Ubuntu:23.10'],
    ['ubuntu', '21.04', 'hirsute', 'Ubuntu:21.04'],
    ['rhel', '9.3', null, 'Red Hat:9'],
    ['rocky', '9.3', null, 'Rocky Linux:9'],
    ['almalinux', '8.9', null, 'AlmaLinux:8'],
    ['wolfi', '20230201', null, 'Wolfi'],
    ['chainguard', null, null, 'Chainguard'],
    ['fedora', '39', null, null],
  ];
  for (const [id, versionId, codename, expected] of cases) {
    it(`${id} ${versionId ?? codename ?? ''} → ${expected ?? 'none'}`, () => {
      assert.equal(distroEcosystem({ id, versionId, codename })?.ecosystem ?? null, expected);
    });
  }

  it('names SUSE and openSUSE releases by PRETTY_NAME without the vendor word', () => {
    assert.equal(
      distroEcosystem({ id: 'opensuse-leap', versionId: '15.5', prettyName: 'openSUSE Leap 15.5' })
        ?.ecosystem,
      'openSUSE:Leap 15.5',
    );
    assert.equal(
      distroEcosystem({ id: 'sles', versionId: '15.5', prettyName: 'SUSE Linux Enterprise Server 15 SP5' })
        ?.ecosystem,
      'SUSE:Linux Enterprise Server 15 SP5',
    );
  });
});

describe('affectedQueriesFor', () => {
  const bookworm = { id: 'debian', versionId: '12', codename: 'bookworm' };

  it('looks a Debian binary package up by its source package', () => {
    assert.deepEqual(
      affectedQueriesFor({ type: 'deb', name: 'libssl3', source: { name: 'openssl' } }, bookworm),
      [{ ecosystem: 'Debian:12', ecosystemBase: 'Debian', release: '12', name: 'openssl' }],
    );
  });

  it('looks an RPM on RHEL up by binary and source name, with the major release', () => {
    assert.deepEqual(
      affectedQueriesFor(
        { type: 'rpm', name: 'openssl-libs', source: { name: 'openssl' } },
        { id: 'rhel', versionId: '9.2' },
      ).map((q) => q.name),
      ['openssl', 'openssl-libs'],
    );
  });

  it('maps language packages by type whatever the distro, PyPI names by PEP 503', () => {
    assert.deepEqual(affectedQueriesFor({ type: 'pypi', name: 'Jinja2' }, bookworm), [
      { ecosystem: 'PyPI', ecosystemBase: 'PyPI', release: null, name: 'jinja2' },
    ]);
    assert.deepEqual(
      (['npm', 'golang', 'maven', 'gem', 'cargo', 'composer', 'nuget'] as const).map(
        (type) => affectedQueriesFor({ type, name: 'x' }, bookworm)[0]?.ecosystemBase,
      ),
      ['npm', 'Go', 'Maven', 'RubyGems', 'crates.io', 'Packagist', 'NuGet'],
    );
  });

  it('returns nothing for an OS package on an unknown distro', () => {
    assert.deepEqual(
      affectedQueriesFor({ type: 'rpm', name: 'bash' }, { id: 'fedora', versionId: '39' }),
      [],
    );
  });
});

describe('splitEcosystem', () => {
  it('keeps base and release apart and keys releases for matching', () => {
    assert.deepEqual(splitEcosystem('Ubuntu:22.04:LTS'), {
      base: 'Ubuntu',
      release: '22.04:LTS',
      releaseKey: '22.04',
    });
    assert.deepEqual(splitEcosystem('Ubuntu:Pro:18.04:LTS').releaseKey, 'Pro:18.04');
    assert.deepEqual(splitEcosystem('Red Hat:enterprise_linux:9::appstream'), {
      base: 'Red Hat',
      release: 'enterprise_linux:9::appstream',
      releaseKey: '9',
    });
    assert.deepEqual(splitEcosystem('Red Hat:rhel_eus:8.4::baseos').releaseKey, '8');
    assert.deepEqual(splitEcosystem('debian:12'), { base: 'Debian', release: '12', releaseKey: '12' });
    assert.deepEqual(splitEcosystem('npm'), { base: 'npm', release: null, releaseKey: null });
  });
});
