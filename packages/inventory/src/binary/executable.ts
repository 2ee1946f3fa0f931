import type { EntryInfo } from '@customs/layers';

/** Smaller than any linked executable that carries build metadata; scripts and stubs stay unread. */
export const MIN_EXECUTABLE_BYTES = 4 * 1024;
/** Big Go binaries (kubelet, hyperkube, terraform providers) reach 100–200 MB; read one at a time. */
export const MAX_EXECUTABLE_BYTES = 256 * 1024 * 1024;

/** Extensions of files that have an executable bit but are never a linked program. */
const NOT_A_PROGRAM =
  /\.(sh|bash|py|pyc|pl|pm|rb|php|js|mjs|cjs|ts|lua|tcl|awk|sed|txt|md|html?|xml|json|ya?ml|toml|ini|cfg|conf|h|hpp|c|cc|cpp|go|rs|java|class|jar|war|ear|gz|xz|bz2|zst|zip|tar|png|jpe?g|gif|svg|ico|pem|crt|key|ko|o|a|la|pc|mo|po)$/i;

/**
 * Trees that hold documentation, locales, headers and configuration, never programs. Skipping them
 * matters twice: their files are not buffered, and OS analyzers do not keep ownership entries for
 * them (they ask every language analyzer whether it would read a path from a package's file list).
 */
const NOT_PROGRAM_TREES =
  /^(usr\/(share\/(doc|man|info|locale|i18n|zoneinfo|help|icons|fonts)|include)|etc)\//;

/**
 * A file that could be a compiled program with embedded build metadata (Go build info, a
 * cargo-auditable section): a regular file with an executable bit, of a plausible size, outside
 * documentation trees and without a script or data extension. The format itself is checked later,
 * from the file's first bytes.
 */
export function isExecutableCandidate(path: string, info: EntryInfo): boolean {
  return (
    info.kind !== 'symlink' &&
    (info.mode & 0o111) !== 0 &&
    info.size >= MIN_EXECUTABLE_BYTES &&
    info.size <= MAX_EXECUTABLE_BYTES &&
    !NOT_A_PROGRAM.test(path) &&
    !NOT_PROGRAM_TREES.test(path)
  );
}
