import type { ImageInventory, IncompleteRecord, Package } from '@customs/inventory';
import type { ImageSecrets } from '@customs/model';
import { toSecretsSection, type SecretsSection } from './secrets-section.js';

/** An inventory and what identifies the image it came from (the indexer's IndexedImage fits). */
export interface IdentifiedInventory extends ImageInventory {
  manifestDigest: string | null;
  platform: { os: string; architecture: string; variant?: string } | null;
  /** Present (not null) when the scan looked for secrets. */
  secrets?: ImageSecrets | null;
}

/** The `customs inventory --format json` document: a stable contract scripts depend on. */
export interface InventoryDocument {
  target: string;
  platform: string | null;
  manifestDigest: string | null;
  distro: { id: string; versionId: string | null } | null;
  layers: Array<{ digest: string; createdBy: string | null }>;
  packages: Array<
    Pick<Package, 'type' | 'name' | 'version' | 'purl' | 'source' | 'ownedBy' | 'path' | 'layer' | 'licenses'>
  >;
  warnings: string[];
  /** What the scan needed but could not read: not empty, packages may be missing and nothing passes. */
  incomplete: IncompleteRecord[];
  /** Credentials in the layers (redacted), when the scan looked for them. */
  secrets?: SecretsSection;
}

export function toInventoryDocument(target: string, image: IdentifiedInventory): InventoryDocument {
  const { platform } = image;
  return {
    target,
    platform: platform
      ? [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/')
      : null,
    manifestDigest: image.manifestDigest,
    distro: image.distro && { id: image.distro.id, versionId: image.distro.versionId },
    layers: image.layers,
    packages: image.packages.map((pkg) => ({
      type: pkg.type,
      name: pkg.name,
      version: pkg.version,
      purl: pkg.purl,
      source: pkg.source,
      ownedBy: pkg.ownedBy,
      path: pkg.path,
      layer: pkg.layer,
      ...(pkg.licenses && { licenses: pkg.licenses }),
    })),
    warnings: image.warnings,
    incomplete: image.incomplete.map((record) => ({
      layer: record.layer,
      path: record.path,
      code: record.code,
      reason: record.reason,
    })),
    ...(image.secrets && { secrets: toSecretsSection(image.secrets) }),
  };
}
