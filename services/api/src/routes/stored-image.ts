import type { IdentifiedInventory, InventoryDocument } from '@customs/report';
import { toInventoryDocument } from '@customs/report';
import type { Store, StoredImage } from '@customs/store';
import { ImageIsIndexError, ImageNotFoundError, ScanFailedError, ScanPendingError } from '../errors.js';

/**
 * The stored inventory of one platform manifest, or the error that says why there is none: never
 * seen, an index, a scan still pending, a scan that failed.
 */
export async function requireInventory(
  store: Pick<Store, 'images' | 'scans'>,
  digest: string,
): Promise<StoredImage> {
  const image = await store.images.get(digest);
  if (image !== null) return image;
  const children = await store.images.children(digest);
  if (children.length > 0) throw new ImageIsIndexError(digest, children);
  const scan = await store.scans.latestFor(digest);
  if (scan === null) throw new ImageNotFoundError(digest);
  if (scan.status === 'queued' || scan.status === 'running') throw new ScanPendingError(digest, scan);
  if (scan.status === 'failed') throw new ScanFailedError(digest, scan);
  throw new ImageNotFoundError(digest, `scan ${scan.id} finished but stored no inventory`);
}

/** The stored inventory as the report package documents it, named `registry/repository@digest`. */
export function inventoryDocument(image: StoredImage): InventoryDocument {
  const identified: IdentifiedInventory = {
    distro: image.distro,
    layers: image.layers,
    packages: image.packages,
    warnings: image.warnings,
    incomplete: image.incomplete ?? [],
    secrets: image.secrets,
    manifestDigest: image.digest,
    platform: platformOf(image.platform),
  };
  return toInventoryDocument(`${image.registry}/${image.repository}@${image.digest}`, identified);
}

/** `linux/arm64/v8` back into its parts; null for a manifest stored without a platform. */
function platformOf(text: string | null): IdentifiedInventory['platform'] {
  const [os, architecture, variant] = (text ?? '').split('/');
  if (!os || !architecture) return null;
  return { os, architecture, ...(variant && { variant }) };
}
