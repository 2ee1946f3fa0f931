import type { AnalyzedPackage, LayerAnalysis } from '../layer-analysis.js';
import { OS_PACKAGE_TYPES, type Distro, type FoundPackage, type OwnedFiles } from '../package.js';
import { toPurl } from '../purl.js';

/** Image path → purl of the OS package whose file list claims it. */
export type OwnerIndex = ReadonlyMap<string, string>;

/**
 * Ownership claims count only for OS packages still in the image: a package removed in a later layer
 * leaves its old file list in a lower layer, and that list must not claim anything.
 */
export function ownersByPath(
  analyses: readonly LayerAnalysis[],
  kept: ReadonlySet<AnalyzedPackage>,
  distro: Distro | null,
): OwnerIndex {
  const present = new Map<string, AnalyzedPackage>();
  for (const pkg of kept) if (OS_PACKAGE_TYPES.includes(pkg.type)) present.set(ownerKey(pkg), pkg);
  const owners = new Map<string, string>();
  for (const claim of analyses.flatMap((analysis) => analysis.ownedFiles)) {
    const owner = present.get(ownerKey(claim.owner));
    if (!owner) continue;
    const purl = toPurl(owner, distro);
    for (const path of claim.paths) owners.set(path, purl);
  }
  return owners;
}

/** The owner of a language package's file; a file inside an archive (`a.war!/x.jar`) is owned with its archive. */
export function ownerOf(pkg: FoundPackage, owners: OwnerIndex): string | null {
  if (OS_PACKAGE_TYPES.includes(pkg.type)) return null;
  const [outerFile = pkg.path] = pkg.path.split('!');
  return owners.get(outerFile) ?? null;
}

function ownerKey(owner: OwnedFiles['owner']): string {
  return [owner.type, owner.name, owner.version, owner.arch ?? ''].join('\0');
}
