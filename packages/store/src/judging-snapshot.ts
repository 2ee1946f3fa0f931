import type { Database } from '@customs/db';
import {
  toStoredImage,
  type ImageStore,
  type IndexChild,
  type ManifestRow,
  type PackageRow,
  type StoredImage,
} from './image-store.js';
import { toScan, type Scan, type ScanRow, type ScanStore } from './scan-store.js';

/** What judging a batch of digests reads, as the image and scan stores answer it. */
export interface JudgingSnapshot {
  images: ImageStore;
  scans: ScanStore;
}

/**
 * Reads everything judging these digests needs (index children, newest scans, inventories) in four
 * queries for the whole batch instead of four per image, and answers `images.get`, `images.children`
 * and `scans.latestFor` from it; anything else goes to the stores as usual.
 */
export async function loadJudgingSnapshot(
  db: Database,
  stores: { images: ImageStore; scans: ScanStore },
  digests: readonly string[],
): Promise<JudgingSnapshot> {
  const batch = new Set(digests);
  const children = new Map<string, IndexChild[]>();
  const childRows = await db.query<{ index_digest: string; digest: string; platform: string }>(
    `select index_digest, manifest_digest as digest, platform from index_children
      where index_digest = any($1::text[]) order by index_digest, platform`,
    [digests],
  );
  for (const row of childRows)
    children.set(row.index_digest, [
      ...(children.get(row.index_digest) ?? []),
      { digest: row.digest, platform: row.platform },
    ]);
  const scans = new Map<string, Scan>();
  const scanRows = await db.query<ScanRow>(
    'select distinct on (digest) * from scans where digest = any($1::text[]) order by digest, created_at desc',
    [digests],
  );
  for (const row of scanRows) scans.set(row.digest, toScan(row));
  const manifests = [...new Set([...digests, ...childRows.map((row) => row.digest)])];
  const images = await readImages(db, manifests);
  return {
    images: {
      ...stores.images,
      get: async (digest) => (images.has(digest) ? (images.get(digest) ?? null) : stores.images.get(digest)),
      children: async (digest) =>
        batch.has(digest) ? (children.get(digest) ?? []) : stores.images.children(digest),
    },
    scans: {
      ...stores.scans,
      latestFor: async (digest) =>
        batch.has(digest) ? (scans.get(digest) ?? null) : stores.scans.latestFor(digest),
    },
  };
}

/** Each digest's stored image, or null when it has none (a digest not read is absent). */
async function readImages(
  db: Database,
  digests: readonly string[],
): Promise<Map<string, StoredImage | null>> {
  const rows = await db.query<ManifestRow>('select * from manifests where digest = any($1::text[])', [
    digests,
  ]);
  const packages = await db.query<PackageRow & { manifest_digest: string }>(
    'select * from manifest_packages where manifest_digest = any($1::text[]) order by manifest_digest, ordinal',
    [digests],
  );
  const byManifest = new Map<string, PackageRow[]>();
  for (const row of packages) {
    const list = byManifest.get(row.manifest_digest);
    if (list) list.push(row);
    else byManifest.set(row.manifest_digest, [row]);
  }
  const images = new Map<string, StoredImage | null>(digests.map((digest) => [digest, null]));
  for (const row of rows) images.set(row.digest, toStoredImage(row, byManifest.get(row.digest) ?? []));
  return images;
}
