/**
 * Debian's short license names (DEP-5 "License specification", the names in /usr/share/common-licenses)
 * as SPDX ids. A trailing `+` means "or any later version". Names SPDX has no id for become
 * `LicenseRef-…` so the expression still parses; exact SPDX ids pass through in their canonical case.
 */
const VERSIONED_FAMILIES: Record<string, string> = {
  GPL: 'GPL',
  LGPL: 'LGPL',
  AGPL: 'AGPL',
  GFDL: 'GFDL',
};

const RENAMED: Record<string, string> = {
  expat: 'MIT',
  mit: 'MIT',
  'bsd-2-clause': 'BSD-2-Clause',
  'bsd-3-clause': 'BSD-3-Clause',
  'bsd-4-clause': 'BSD-4-Clause',
  artistic: 'Artistic-1.0-Perl',
  'artistic-1.0': 'Artistic-1.0',
  'artistic-2.0': 'Artistic-2.0',
  'apache-2.0': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  'mpl-1.1': 'MPL-1.1',
  'mpl-2.0': 'MPL-2.0',
  'mpl-2': 'MPL-2.0',
  'bsl-1': 'BSL-1.0',
  isc: 'ISC',
  zlib: 'Zlib',
  'cc0-1.0': 'CC0-1.0',
  cc0: 'CC0-1.0',
  'psf-2': 'PSF-2.0',
  'python-2.0': 'Python-2.0',
  openssl: 'OpenSSL',
  ssleay: 'SSLeay-standalone',
  boost: 'BSL-1.0',
  'bsl-1.0': 'BSL-1.0',
  fsfap: 'FSFAP',
  fsful: 'FSFUL',
  fsfullr: 'FSFULLR',
  x11: 'X11',
  curl: 'curl',
  'unicode-dfs-2016': 'Unicode-DFS-2016',
  wtfpl: 'WTFPL',
  unlicense: 'Unlicense',
  '0bsd': '0BSD',
  'cc-by-3.0': 'CC-BY-3.0',
  'cc-by-4.0': 'CC-BY-4.0',
  'cc-by-sa-3.0': 'CC-BY-SA-3.0',
  'cc-by-sa-4.0': 'CC-BY-SA-4.0',
  'epl-1.0': 'EPL-1.0',
  'epl-2.0': 'EPL-2.0',
  'cddl-1.0': 'CDDL-1.0',
  'ofl-1.1': 'OFL-1.1',
  'sil-ofl-1.1': 'OFL-1.1',
  tcl: 'TCL',
  'zpl-2.1': 'ZPL-2.1',
  'bzip2-1.0.6': 'bzip2-1.0.6',
  ncsa: 'NCSA',
  sleepycat: 'Sleepycat',
};

/** GPL-2, GPL-2.0, GPL-2+, LGPL-2.1+, GFDL-1.3, GPL (unversioned: any version, as SPDX reads it). */
function versionedFamily(name: string): string | null {
  const match = /^(A?L?GPL|GFDL)(?:-?(\d+(?:\.\d+)?))?(\+)?$/i.exec(name);
  if (!match) return null;
  const family = VERSIONED_FAMILIES[(match[1] as string).toUpperCase()];
  if (!family) return null;
  if (match[2] === undefined) return `${family}-1.${family === 'GFDL' ? '1' : '0'}-or-later`;
  const version = (match[2] as string).includes('.') ? match[2] : `${match[2]}.0`;
  return `${family}-${version}-${match[3] ? 'or-later' : 'only'}`;
}

/**
 * `<license> with <X> exception` clauses whose exception SPDX lists, keyed by the exception word and,
 * where the exception's version follows the GPL's, the GPL major version.
 */
const EXCEPTIONS: Record<string, string> = {
  bison: 'Bison-exception-2.2',
  'autoconf:2': 'Autoconf-exception-2.0',
  'autoconf:3': 'Autoconf-exception-3.0',
  texinfo: 'Texinfo-exception',
  libtool: 'Libtool-exception',
  'linux-syscall-note': 'Linux-syscall-note',
  gcc: 'GCC-exception-3.1',
  'gcc-exception-3.1': 'GCC-exception-3.1',
};

/** `GPL-3+ with Bison exception` → `GPL-3.0-or-later WITH Bison-exception-2.2`; null when SPDX has none. */
function withException(name: string): string | null {
  const match = /^(\S+)\s+with\s+(\S+?)(?:[- ]exception)?$/i.exec(name);
  if (!match) return null;
  const license = versionedFamily(match[1] as string);
  if (!license) return null;
  const word = (match[2] as string).toLowerCase();
  const major = /-(\d)/.exec(license)?.[1] ?? '';
  const exception = EXCEPTIONS[word] ?? EXCEPTIONS[`${word}:${major}`];
  return exception ? `${license} WITH ${exception}` : null;
}

/** One Debian short name (no `or`/`and`) as an SPDX license id or LicenseRef. */
export function spdxIdForDebianName(name: string): string {
  const trimmed = name.trim();
  const excepted = withException(trimmed);
  if (excepted) return excepted;
  if (/^(public[- ]domain|pd)$/i.test(trimmed)) return 'LicenseRef-public-domain';
  const family = versionedFamily(trimmed);
  if (family) return family;
  const renamed = RENAMED[trimmed.toLowerCase()];
  if (renamed) return renamed;
  return `LicenseRef-${trimmed
    .replace(/\+/g, '-or-later')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')}`;
}

/**
 * A DEP-5 `License:` synopsis as an SPDX expression: `GPL-2+ or Artistic` →
 * `GPL-2.0-or-later OR Artistic-1.0-Perl`. DEP-5 joins with `or`/`and` (a comma before them only
 * lowers precedence, which SPDX's AND-binds-tighter already gives for the cases Debian writes;
 * `and/or` is read as `or`); `with <exception>` becomes SPDX `WITH` for exceptions SPDX lists, else
 * part of a LicenseRef.
 */
export function spdxExpressionForSynopsis(synopsis: string): string | null {
  const words = synopsis
    .replace(/,/g, ' ')
    .replace(/\s+and\/or\s+/gi, ' or ')
    .trim();
  if (words === '') return null;
  const parts = words.split(/\s+(or|and)\s+/i);
  return parts
    .map((part, index) => (index % 2 === 1 ? part.toUpperCase() : spdxIdForDebianName(part)))
    .join(' ');
}
