import type { Database } from '@customs/db';
import type { Distro, PackageType } from '@customs/inventory';
import { affectedQueriesFor } from '../ecosystem/distro-ecosystem.js';
import { createVulnDbReader } from '../reader/vulndb-reader.js';
import { readDataStatus } from '../state/data-version.js';
import { OSV_ECOSYSTEMS } from './known-sources.js';

/**
 * Which OSV ecosystems an update fetches when none are configured: those `seen` in the images at
 * hand and those the database's earlier updates and imports used; else, on a first update with
 * nothing to go by, every ecosystem Customs can match. The CLI and the server's update API both
 * choose this way, so `customs db update` fetches the same whichever path it took.
 *
 * A service passes the ecosystems of its cached images (`ecosystemsOfImages` over the store's
 * `cachedPackageKinds`) plus the configured ones as `seen`.
 */
export async function ecosystemsInUse(db: Database, seen: Iterable<string> = []): Promise<string[]> {
  const names = new Set(seen);
  for (const source of (await readDataStatus(db)).sources)
    if (source.source.startsWith('osv:')) names.add(source.source.slice(4));
  for (const entry of (await (await createVulnDbReader(db)).status()).ecosystems) names.add(entry.ecosystem);
  const known = [...names].filter((name) => (OSV_ECOSYSTEMS as readonly string[]).includes(name)).sort();
  return known.length > 0 ? known : [...OSV_ECOSYSTEMS];
}

/**
 * The OSV ecosystem bases packages of these kinds are matched in, by the same mapping the matcher
 * uses (a deb on Debian 12 → Debian, an npm package anywhere → npm); kinds nothing matches add none.
 */
export function ecosystemsOfImages(
  images: Iterable<{ distro: Distro | null; types: readonly PackageType[] }>,
): string[] {
  const bases = new Set<string>();
  for (const image of images)
    for (const type of image.types)
      for (const query of affectedQueriesFor({ type, name: 'any', version: '0' }, image.distro))
        bases.add(query.ecosystemBase);
  return [...bases].sort();
}
