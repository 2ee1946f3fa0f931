import type { FoundPackage } from '../../package.js';
import { dpkgVersion } from './dpkg-version.js';
import { parseStanzas, type Stanza } from './parse-control.js';

/**
 * The package states (third word of `Status:`) in which a package's files are on disk. The first two
 * words say what the admin wants (install/hold/deinstall/purge) and whether reinstallation is
 * required; only the state says what dpkg has actually done to the filesystem, so only it decides:
 * - installed, half-configured, triggers-awaited, triggers-pending: unpacked and (being) configured.
 * - unpacked: files extracted, not configured yet. The code is there and can be run.
 * - half-installed: an install, upgrade or removal stopped half way; old and new files may be mixed
 *   on disk. A scanner must not stay silent about code that may be present, so it counts.
 * Left out: not-installed (nothing on disk) and config-files (only conffiles under /etc remain).
 * So `deinstall ok installed` and `purge ok installed` (marked for removal, not removed yet) count.
 */
const FILES_ON_DISK = new Set([
  'installed',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
  'unpacked',
  'half-installed',
]);

export interface StatusOptions {
  /** The file the text came from, relative to the image root; becomes each package's `path`. */
  path: string;
  /**
   * Distroless `status.d/` entries carry no `Status:` field: a package that has an entry there is
   * installed. In the main status file a missing Status means not-installed, as dpkg reads it.
   */
  missingStatusMeansInstalled: boolean;
}

export interface ParsedStatus {
  packages: FoundPackage[];
  warnings: string[];
}

/** Installed packages from a dpkg status file or a status.d entry. Broken paragraphs become warnings. */
export function parseStatus(text: string, options: StatusOptions): ParsedStatus {
  const { stanzas, warnings } = parseStanzas(text);
  if (stanzas.some(isVcpkgStanza)) {
    return {
      packages: [],
      warnings: ['not a dpkg database: it has vcpkg fields (Type: Port, Abi, Feature)'],
    };
  }
  const packages: FoundPackage[] = [];
  for (const stanza of stanzas) {
    const result = readStanza(stanza, options);
    if (typeof result === 'string') warnings.push(`paragraph at line ${stanza.line}: ${result}`);
    else if (result) packages.push(result);
  }
  return { packages, warnings };
}

/**
 * vcpkg keeps a status file in dpkg's syntax, and dpkg-query rejects it. dpkg never writes these
 * fields, so one such paragraph means the whole file is vcpkg's: reporting its ports as Debian
 * packages would be wrong, whatever path it was found at.
 */
function isVcpkgStanza({ fields }: Stanza): boolean {
  return fields.has('abi') || fields.has('feature') || fields.get('type') === 'Port';
}

/** A package, null for a package whose files are not on disk, or the reason the paragraph is unusable. */
function readStanza(stanza: Stanza, options: StatusOptions): FoundPackage | null | string {
  const { fields } = stanza;
  const name = fields.get('package');
  if (name === undefined) return 'no Package field';
  if (!/^\S+$/.test(name)) return `invalid package name "${name}"`;
  const status = fields.get('status');
  if (status === undefined) {
    if (!options.missingStatusMeansInstalled) return null;
  } else {
    const state = status.split(/\s+/);
    if (state.length !== 3) return `package ${name}: malformed Status "${status}"`;
    if (!FILES_ON_DISK.has(state[2] ?? '')) return null;
  }
  const rawVersion = fields.get('version');
  if (!rawVersion) return `package ${name}: no Version`;
  const version = dpkgVersion(rawVersion);
  const arch = fields.get('architecture');
  return {
    type: 'deb',
    name,
    version,
    source: sourceOf(fields.get('source'), name, version),
    ...(arch ? { arch } : {}),
    path: options.path,
  };
}

/** `Source: name` or `Source: name (version)`; without it the binary is its own source, as in dpkg-query. */
function sourceOf(
  field: string | undefined,
  name: string,
  version: string,
): { name: string; version: string } {
  const match = field === undefined ? null : /^(\S+)(?:\s*\(([^)]*)\))?/.exec(field);
  if (!match) return { name, version };
  const sourceVersion = match[2]?.trim();
  return { name: match[1] ?? name, version: sourceVersion ? dpkgVersion(sourceVersion) : version };
}
