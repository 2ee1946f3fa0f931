import type { Database } from '@customs/db';
import { createVulnDbReader } from '../reader/vulndb-reader.js';
import { readDataStatus } from '../state/data-version.js';
import { OSV_ECOSYSTEMS } from './known-sources.js';

/**
 * Which OSV ecosystems an update fetches when none are configured: those `seen` in the images at
 * hand and those the database's earlier updates and imports used; else, on a first update with
 * nothing to go by, every ecosystem Customs can match. The CLI and the server's update API both
 * choose this way, so `customs db update` fetches the same whichever path it took.
 */
export async function ecosystemsInUse(db: Database, seen: Iterable<string> = []): Promise<string[]> {
  const names = new Set(seen);
  for (const source of (await readDataStatus(db)).sources)
    if (source.source.startsWith('osv:')) names.add(source.source.slice(4));
  for (const entry of (await (await createVulnDbReader(db)).status()).ecosystems) names.add(entry.ecosystem);
  const known = [...names].filter((name) => (OSV_ECOSYSTEMS as readonly string[]).includes(name)).sort();
  return known.length > 0 ? known : [...OSV_ECOSYSTEMS];
}
