import type { Queryable } from '@customs/db';
import type { Distro, PackageType } from '@customs/inventory';

/** What the cached images need vulnerability data for: each distribution with its package types. */
export interface CachedPackageKinds {
  distro: Distro | null;
  types: PackageType[];
}

/**
 * One row per distinct distribution of the cached images, with every package type they hold: the
 * input an update needs to fetch only the ecosystems in use (vulndb's `ecosystemsOfImages`).
 */
export async function cachedPackageKinds(db: Queryable): Promise<CachedPackageKinds[]> {
  const rows = await db.query<{ distro: Distro | null; types: PackageType[] }>(
    `select m.distro, array_agg(distinct p.type order by p.type) as types
       from manifests m join manifest_packages p on p.manifest_digest = m.digest
      group by m.distro`,
  );
  return rows.map((row) => ({ distro: row.distro, types: row.types }));
}
