import { inflateSync } from 'node:zlib';
import { isCustomsError } from '@customs/errors';
import { isElf, parseElf, sectionData } from '../../binary/elf.js';
import type { FoundPackage } from '../../package.js';
import { PackageFileError } from '../package-file-error.js';
import { isRecord } from '../untyped.js';

/** The section cargo-auditable links into Rust binaries: zlib-compressed JSON. */
const SECTION = '.dep-v0';
/** The dependency list of a large binary is well under a megabyte of JSON. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

/**
 * The crates a binary built with cargo-auditable was compiled from (ELF only; PE and Mach-O keep the
 * same data in differently named sections, which are not read). The JSON holds
 * `{"packages":[{"name","version","source","kind"?,"root"?}]}`; reported are the crates that end up
 * in the binary — not `kind: "build"` (build scripts and proc macros run at compile time only) and
 * not `source: "local"` (workspace members and path dependencies, as for Cargo.lock).
 * Null when the file is not an ELF binary with that section.
 */
export function parseCargoAuditable(data: Buffer, path: string): FoundPackage[] | null {
  if (!isElf(data)) return null;
  const section = auditableSection(data);
  if (!section) return null;
  let json: unknown;
  try {
    json = JSON.parse(inflateSync(section, { maxOutputLength: MAX_JSON_BYTES }).toString('utf8'));
  } catch (error) {
    throw new PackageFileError(
      'CARGO_FILE_INVALID',
      path,
      `the ${SECTION} section is not zlib-compressed JSON`,
      error,
    );
  }
  const entries = isRecord(json) ? json['packages'] : undefined;
  if (!Array.isArray(entries))
    throw new PackageFileError('CARGO_FILE_INVALID', path, `the ${SECTION} section has no packages list`);
  const packages: FoundPackage[] = [];
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    const { name, version, source, kind } = entry;
    if (typeof name !== 'string' || typeof version !== 'string') continue;
    if (source === 'local' || kind === 'build') continue;
    packages.push({ type: 'cargo', name, version, path });
  }
  return packages;
}

/**
 * The section's bytes; null for an ELF file too damaged to find sections in. Every executable is
 * also read by the go-binary analyzer, which reports a malformed ELF file once.
 */
function auditableSection(data: Buffer): Buffer | null {
  try {
    return sectionData(parseElf(data), data, SECTION) ?? null;
  } catch (error) {
    if (isCustomsError(error, 'ELF_MALFORMED')) return null;
    throw error;
  }
}
