/** OSV.dev's public export bucket: `<ecosystem>/all.zip`, `<ecosystem>/modified_id.csv`, `<ecosystem>/<id>.json`. */
export const OSV_EXPORT_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

/** Alpine's security database: `<branch>/<repository>.yaml` (the files of alpinelinux/alpine-secdb). */
export const ALPINE_SECDB_URL = 'https://secdb.alpinelinux.org';

/** Where a mirror keeps Alpine's secdb: beside the OSV ecosystem directories, under a name OSV never uses. */
export const MIRROR_SECDB_DIR = 'alpine-secdb';

export const ALPINE_SECDB_REPOSITORIES = ['main', 'community'] as const;

/**
 * Every OSV export directory Customs can match an inventoried package against: the distributions of
 * DISTRO_ECOSYSTEMS and the language ecosystems (ecosystem bases are the directory names).
 */
export const OSV_ECOSYSTEMS = [
  'Debian',
  'Ubuntu',
  'Alpine',
  'Red Hat',
  'Rocky Linux',
  'AlmaLinux',
  'SUSE',
  'openSUSE',
  'Photon OS',
  'Wolfi',
  'Chainguard',
  'npm',
  'PyPI',
  'Go',
  'Maven',
  'crates.io',
  'RubyGems',
  'NuGet',
  'Packagist',
  'Hex',
  'Pub',
] as const;

/** Source ids as `db status` shows them and source state is keyed. */
export function osvSourceId(ecosystem: string): string {
  return `osv:${ecosystem}`;
}

export const ALPINE_SECDB_SOURCE = 'alpine-secdb';
