import type { IncompleteRecord } from '../incomplete.js';
import { OS_PACKAGE_TYPES, type Distro, type Package } from '../package.js';
import type { StackedLayer } from './stacked-layer.js';
import type { LayerStack } from './layer-stack.js';

/** What an image's unread files make of it: the records that count, and the warnings left to show. */
export interface Completeness {
  incomplete: IncompleteRecord[];
  warnings: string[];
}

/**
 * The unread files the final filesystem still shows make the inventory incomplete; one a later layer
 * deleted or replaced hides nothing any more and is only a warning. Each record's reason replaces the
 * warning that said the same, so nothing is reported twice.
 */
export function completeness(layers: readonly StackedLayer[], stack: LayerStack): Completeness {
  const incomplete: IncompleteRecord[] = [];
  const warnings: string[] = [];
  layers.forEach((layer, index) => {
    const { unread } = layer.analysis;
    const reasons = new Set(unread.map((record) => record.reason));
    warnings.push(...layer.analysis.warnings.filter((warning) => !reasons.has(warning)));
    for (const record of unread) {
      if (record.path === null || stack.isVisible(index, record.path)) {
        incomplete.push({ layer: layer.digest, ...record });
      } else {
        warnings.push(`${record.reason} (replaced by a later layer)`);
      }
    }
  });
  return { incomplete, warnings };
}

/**
 * OS packages whose distribution nothing names cannot be matched against any distribution's
 * advisories: one record per package database, in the layer its first package came from.
 */
export function unidentifiedOs(packages: readonly Package[], distro: Distro | null): IncompleteRecord[] {
  if (distro !== null) return [];
  const byPath = new Map<string, Package[]>();
  for (const pkg of packages) {
    if (!OS_PACKAGE_TYPES.includes(pkg.type)) continue;
    byPath.set(pkg.path, [...(byPath.get(pkg.path) ?? []), pkg]);
  }
  return [...byPath].map(([path, found]) => ({
    layer: found[0]?.layer ?? null,
    path,
    code: 'OS_UNIDENTIFIED',
    reason:
      `${path}: ${found.length} ${found[0]?.type} package${found.length === 1 ? '' : 's'}, but no ` +
      'os-release file says which distribution they belong to, so no advisory can judge them',
  }));
}
