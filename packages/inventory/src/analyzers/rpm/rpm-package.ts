import type { FoundPackage, SourcePackage } from '../../package.js';
import type { RpmHeader } from './parse-rpm-header.js';

export type RpmPackageResult = { pkg: FoundPackage; warning?: string } | { skipped: string };

/**
 * The package Customs reports for one header. Version is `[epoch:]version-release` (epoch only when
 * the header has an EPOCH tag, as `rpm -q --qf '%{EPOCH}'` shows it).
 *
 * Deliberate difference from `rpm -qa`: `gpg-pubkey` entries are not reported. They are the
 * repository signing keys rpm imports into its database as pseudo-packages (no arch, no files, no
 * source rpm); no advisory names them, and listing them as installed software would be noise.
 */
export function toRpmPackage(header: RpmHeader, path: string): RpmPackageResult {
  if (header.name === 'gpg-pubkey') return { skipped: 'gpg-pubkey' };
  const epochPrefix = header.epoch === null ? '' : `${header.epoch}:`;
  const source = header.sourceRpm === null ? null : parseSourceRpm(header.sourceRpm, epochPrefix);
  const pkg: FoundPackage = {
    type: 'rpm',
    name: header.name,
    version: `${epochPrefix}${header.version}-${header.release}`,
    source,
    ...(header.arch ? { arch: header.arch } : {}),
    ...(header.license ? { licenses: [header.license] } : {}),
    path,
  };
  return header.sourceRpm !== null && source === null
    ? {
        pkg,
        warning: `package ${header.name}: SOURCERPM "${header.sourceRpm}" is not name-version-release.arch.rpm`,
      }
    : { pkg };
}

/**
 * `name-version-release.src.rpm` → `{name, version: [epoch:]version-release}`. SOURCERPM never carries
 * the epoch, yet the source package has one: subpackages inherit the spec's Epoch, so the binary's
 * epoch is the source's. Red Hat and SUSE advisories compare source versions with their epoch, so
 * leaving it out would make every fixed `1:...` version look newer than what is installed. Trivy
 * makes the same choice (SrcEpoch = the binary's epoch).
 */
export function parseSourceRpm(sourceRpm: string, epochPrefix = ''): SourcePackage | null {
  const match = /^(.+)-([^-]+)-([^-]+)\.[^.-]+\.rpm$/.exec(sourceRpm);
  if (!match) return null;
  const [, name, version, release] = match;
  return { name: name ?? '', version: `${epochPrefix}${version}-${release}` };
}
