// The copyright texts here are generated test data in DEP-5 form; the real files of the e2e image are
// checked against python3-debian in test/e2e/debian-licenses.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spdxExpressionForSynopsis, spdxIdForDebianName } from './debian-license-names.js';
import { parseCopyright } from './parse-copyright.js';

const dep5 = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: example
Comment: a generated file

Files: *
Copyright: 2020 Someone
License: GPL-2+ or Artistic
 The continuation of the paragraph
 .
 License: not a field, a continuation line

Files: lib/*
Copyright: 2021 Someone Else
License: Expat

Files: debian/*
Copyright: 2022 Packager
License: GPL-2+ or Artistic

License: Expat
 Permission is hereby granted...

License: LGPL-2.1+
 A stand-alone text no Files paragraph uses.
`;

describe('parseCopyright (DEP-5)', () => {
  it('declares the License synopsis of each Files paragraph once, as SPDX, in file order', () => {
    assert.deepEqual(parseCopyright(dep5), ['GPL-2.0-or-later OR Artistic-1.0-Perl', 'MIT']);
  });

  it('takes a License in the header paragraph too, and reads CRLF files', () => {
    const text =
      'Format: http://dep.debian.net/deps/dep5\r\nLicense: BSD-3-clause\r\n\r\nFiles: *\r\nLicense: Zlib\r\n';
    assert.deepEqual(parseCopyright(text), ['BSD-3-Clause', 'Zlib']);
  });

  it('returns null for a file that is not machine-readable, instead of guessing', () => {
    const text =
      'This package was debianized by someone.\n\nLicense: GPL-2, see /usr/share/common-licenses/GPL-2\n';
    assert.equal(parseCopyright(text), null);
  });
});

describe('Debian short names as SPDX', () => {
  it('maps versioned families with + as or-later and without as only', () => {
    const names = [
      'GPL-2',
      'GPL-2+',
      'GPL-3.0+',
      'LGPL-2.1+',
      'LGPL-2.1',
      'LGPL-3',
      'AGPL-3+',
      'GFDL-1.3+',
      'GPL',
    ];
    assert.deepEqual(names.map(spdxIdForDebianName), [
      'GPL-2.0-only',
      'GPL-2.0-or-later',
      'GPL-3.0-or-later',
      'LGPL-2.1-or-later',
      'LGPL-2.1-only',
      'LGPL-3.0-only',
      'AGPL-3.0-or-later',
      'GFDL-1.3-or-later',
      'GPL-1.0-or-later',
    ]);
  });

  it('renames Debian-only names and canonicalises case; unknown names become LicenseRefs', () => {
    const names = [
      'Expat',
      'BSD-3-clause',
      'bsd-2-clause',
      'Artistic',
      'public-domain',
      'permissive',
      'Apache-2.0',
    ];
    assert.deepEqual(names.map(spdxIdForDebianName), [
      'MIT',
      'BSD-3-Clause',
      'BSD-2-Clause',
      'Artistic-1.0-Perl',
      'LicenseRef-public-domain',
      'LicenseRef-permissive',
      'Apache-2.0',
    ]);
  });

  it('joins or/and (and a comma before them) as SPDX operators', () => {
    assert.equal(spdxExpressionForSynopsis('GPL-2+ or Artistic'), 'GPL-2.0-or-later OR Artistic-1.0-Perl');
    assert.equal(
      spdxExpressionForSynopsis('LGPL-2.1+, and BSD-3-clause'),
      'LGPL-2.1-or-later AND BSD-3-Clause',
    );
    assert.equal(
      spdxExpressionForSynopsis('GPL-3+ with Bison exception'),
      'GPL-3.0-or-later WITH Bison-exception-2.2',
    );
    assert.equal(
      spdxExpressionForSynopsis('GPL-2+ with Autoconf exception'),
      'GPL-2.0-or-later WITH Autoconf-exception-2.0',
    );
    assert.equal(
      spdxExpressionForSynopsis('GPL-2+ with distribution exception'),
      'LicenseRef-GPL-2-or-later-with-distribution-exception',
    );
    assert.equal(spdxExpressionForSynopsis('BSD-3-clause and/or GPL-3+'), 'BSD-3-Clause OR GPL-3.0-or-later');
    assert.equal(spdxIdForDebianName('PD'), 'LicenseRef-public-domain');
    assert.equal(spdxExpressionForSynopsis('  '), null);
  });
});
