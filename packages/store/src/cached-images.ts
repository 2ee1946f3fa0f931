import type { Queryable } from '@customs/db';
import type { ImageLocation } from './image-store.js';

/** Every cached image manifest and where it was pulled from, by registry, repository and digest. */
export async function cachedImages(db: Queryable): Promise<Array<ImageLocation & { digest: string }>> {
  return db.query<ImageLocation & { digest: string }>(
    'select registry, repository, digest from manifests order by registry, repository, digest',
  );
}
