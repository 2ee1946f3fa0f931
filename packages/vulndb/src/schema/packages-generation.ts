import type { Queryable } from '@customs/db';

/** The generation of the lookup rows (0007): equal numbers mean no write to vulndb_packages committed between. */
export const PACKAGES_GENERATION = 'select generation::text as generation from vulndb_packages_generation';

/**
 * Taken first by every transaction that writes advisories: writers of the lookup rows all update the
 * one generation row (the trigger does it), so taking it up front makes them queue in one order
 * instead of deadlocking on rows each has already written.
 */
export async function lockPackagesGeneration(tx: Queryable): Promise<void> {
  await tx.query('select generation from vulndb_packages_generation for update');
}
