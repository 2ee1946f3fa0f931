/** Package types are purl types, so a package's type is also the first segment of its purl. */
export const PACKAGE_TYPES = [
  'deb',
  'apk',
  'rpm',
  'npm',
  'pypi',
  'golang',
  'maven',
  'gem',
  'cargo',
  'composer',
  'nuget',
  // Runtimes found by their binary or install tree (Node.js, CPython, OpenJDK), not by a package manager.
  'generic',
] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

export const OS_PACKAGE_TYPES: readonly PackageType[] = ['deb', 'apk', 'rpm'];

/** The distribution an image is built on, from os-release or its fallbacks. */
export interface Distro {
  /** os-release ID, lower case: debian, ubuntu, alpine, rhel, rocky, almalinux, sles, wolfi, ... */
  id: string;
  /** os-release VERSION_ID as written: "12", "3.19.1", "22.04", "9.3"; null for rolling releases. */
  versionId: string | null;
  /** VERSION_CODENAME where present (bookworm, jammy), used to map "sid"/"trixie" style releases. */
  codename?: string | null;
  prettyName?: string | null;
}

export interface SourcePackage {
  name: string;
  version: string;
}

/**
 * A package as an analyzer finds it in one layer's files: no layer, purl or owner yet. Those depend
 * on the whole image (which layer introduced it, which distro it runs on, which OS package owns its
 * files) and are filled in by assembly.
 */
export interface FoundPackage {
  type: PackageType;
  /** As the ecosystem's advisories name it: Maven `groupId:artifactId`, Go module path, npm `@scope/name`. */
  name: string;
  /** rpm: `[epoch:]version-release`; Go: with its `v` prefix; everything else as the ecosystem writes it. */
  version: string;
  /** Distro advisories are keyed by the source package: dpkg `Source:`, apk `o:`, rpm `SOURCERPM`. */
  source?: SourcePackage | null;
  /** CPU architecture where the format records one (deb, apk, rpm). */
  arch?: string;
  /** SPDX expressions or free text as the package declares them, where cheap to read. */
  licenses?: string[];
  /** The file this package was read from, relative to the image root, no leading slash. */
  path: string;
}

/** A package in an image: what an analyzer found, placed in the image. This is the CLI/API JSON shape. */
export interface Package {
  type: PackageType;
  name: string;
  version: string;
  purl: string;
  source: SourcePackage | null;
  /** purl of the OS package whose file list contains this package's file; its fixes come from the distro. */
  ownedBy: string | null;
  path: string;
  /** Digest of the layer that introduced this package. */
  layer: string;
  licenses?: string[];
  arch?: string;
}

/** The files an OS package manager says belong to one of its packages (dpkg .list, rpm file list, apk R:). */
export interface OwnedFiles {
  owner: { type: PackageType; name: string; version: string; arch?: string };
  /** Only the paths some language analyzer would read; relative to the image root. */
  paths: string[];
}
