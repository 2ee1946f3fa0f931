import type { JudgedImages } from '@customs/store';
import type { ChangedPackage } from '@customs/vulndb';
import { digestsTouchedBy } from './touched-images.js';

/**
 * The digests to judge again after a data change: those the changed packages touch, or, when the
 * change set is unknown (null: a full load), every digest a verdict is asked for.
 */
export async function digestsToRejudge(
  changed: readonly ChangedPackage[] | null,
  images: JudgedImages,
): Promise<string[]> {
  return changed === null ? images.allVerdictDigests() : digestsTouchedBy(changed, images);
}
