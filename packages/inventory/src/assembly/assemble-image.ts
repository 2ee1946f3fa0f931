import type { IncompleteRecord } from '../incomplete.js';
import type { AnalyzedPackage } from '../layer-analysis.js';
import type { Distro, Package } from '../package.js';
import { toPurl } from '../purl.js';
import { completeness, unidentifiedOs } from './incomplete-records.js';
import { LayerStack } from './layer-stack.js';
import type { ImageLayer, StackedLayer } from './stacked-layer.js';
import { dropDeclaredWhenInstalled } from './installed-beats-declared.js';
import { ownersByPath, ownerOf } from './ownership.js';

/** Everything found in an image, as the final filesystem shows it. */
export interface ImageInventory {
  distro: Distro | null;
  layers: ImageLayer[];
  packages: Package[];
  warnings: string[];
  /**
   * What the scan needed but could not read: package databases, lockfiles and manifests skipped or
   * unparseable, OS packages of no known distribution. Not empty: packages may be missing, so the
   * image must not pass as if they were not there.
   */
  incomplete: IncompleteRecord[];
}

/**
 * Folds analysed layers (bottom first) into the image's inventory: a package database deleted or
 * replaced by a later layer no longer counts, each package is attributed to the layer that introduced
 * it, and language packages whose files an OS package owns name that owner.
 */
export function assembleImage(layers: readonly StackedLayer[]): ImageInventory {
  const stack = new LayerStack(layers.map((layer) => layer.analysis));
  const distro = topmostDistro(layers);
  const visible = visiblePackages(layers, stack);
  const kept = dropDeclaredWhenInstalled(visible.map((entry) => entry.pkg));
  const owners = ownersByPath(
    layers.map((layer) => layer.analysis),
    kept,
    distro,
  );
  const packages = visible
    .filter((entry) => kept.has(entry.pkg))
    .map((entry) => placePackage(entry.pkg, layers[entry.introducedIn]?.digest ?? '', distro, owners))
    // A runtime binary an OS package owns is that package (nodejs, python3.11), listed once as it.
    .filter((pkg) => !(pkg.type === 'generic' && pkg.ownedBy !== null))
    .sort(comparePackages);
  const { incomplete, warnings } = completeness(layers, stack);
  return {
    distro,
    layers: layers.map(({ digest, createdBy }) => ({ digest, createdBy })),
    packages,
    warnings,
    incomplete: [...incomplete, ...unidentifiedOs(packages, distro)],
  };
}

interface VisiblePackage {
  pkg: AnalyzedPackage;
  introducedIn: number;
}

function visiblePackages(layers: readonly StackedLayer[], stack: LayerStack): VisiblePackage[] {
  return layers.flatMap((layer, index) =>
    layer.analysis.packages
      .filter((pkg) => stack.isVisible(index, pkg.path))
      .map((pkg) => {
        const introducedIn = introducingLayer(layers, stack, index, pkg);
        return { pkg: withLicensesOfCopies(layers, introducedIn, index, pkg), introducedIn };
      }),
  );
}

/**
 * A package database rewritten by a later layer (every apt-get install rewrites dpkg's status) lists
 * packages whose license files came with an earlier layer: the copy found there carries the licenses.
 */
function withLicensesOfCopies(
  layers: readonly StackedLayer[],
  from: number,
  to: number,
  pkg: AnalyzedPackage,
): AnalyzedPackage {
  if (pkg.licenses?.length) return pkg;
  for (let index = from; index < to; index++) {
    const copy = layers[index]?.analysis.packages.find((candidate) => samePackage(candidate, pkg));
    if (copy?.licenses?.length) return { ...pkg, licenses: copy.licenses };
  }
  return pkg;
}

/** The lowest layer from which this very package (same file, name, version, arch) has been present without a break. */
function introducingLayer(
  layers: readonly StackedLayer[],
  stack: LayerStack,
  index: number,
  pkg: AnalyzedPackage,
): number {
  let introduced = index;
  for (const lower of stack.continuedCopies(index, pkg.path)) {
    const same = layers[lower]?.analysis.packages.some((candidate) => samePackage(candidate, pkg));
    if (!same) break;
    introduced = lower;
  }
  return introduced;
}

function samePackage(a: AnalyzedPackage, b: AnalyzedPackage): boolean {
  return (
    a.path === b.path &&
    a.analyzer === b.analyzer &&
    a.type === b.type &&
    a.name === b.name &&
    a.version === b.version &&
    a.arch === b.arch
  );
}

function topmostDistro(layers: readonly StackedLayer[]): Distro | null {
  for (let index = layers.length - 1; index >= 0; index--) {
    const distro = layers[index]?.analysis.distro;
    if (distro) return distro;
  }
  return null;
}

function placePackage(
  pkg: AnalyzedPackage,
  layer: string,
  distro: Distro | null,
  owners: ReturnType<typeof ownersByPath>,
): Package {
  return {
    type: pkg.type,
    name: pkg.name,
    version: pkg.version,
    purl: toPurl(pkg, distro),
    source: pkg.source ?? null,
    ownedBy: ownerOf(pkg, owners),
    path: pkg.path,
    layer,
    ...(pkg.licenses?.length ? { licenses: pkg.licenses } : {}),
    ...(pkg.arch ? { arch: pkg.arch } : {}),
  };
}

function comparePackages(a: Package, b: Package): number {
  return (
    a.type.localeCompare(b.type) ||
    a.name.localeCompare(b.name) ||
    a.version.localeCompare(b.version) ||
    a.path.localeCompare(b.path)
  );
}
