import { matchesAnyRepository } from '@customs/policy';
import type { Store, TokenInfo } from '@customs/store';
import { RepositoryForbiddenError } from '../errors.js';

/**
 * A token limited to repository globs reaches only images in those repositories: anything else is
 * TOKEN_REPOSITORY_FORBIDDEN (403). Unlimited tokens (and admin, which is never limited) pass.
 */
export function requireRepository(token: TokenInfo | null, repository: string | null, what: string): void {
  if (!isLimited(token)) return;
  if (repository !== null && matchesAnyRepository(token.repositories, repository)) return;
  throw new RepositoryForbiddenError(token.repositories, repository, what);
}

export function isLimited(token: TokenInfo | null): token is TokenInfo & { repositories: string[] } {
  return token !== null && token.repositories !== null;
}

/** Whether the token may see an image of this repository (for lists, which leave the rest out). */
export function mayReadRepository(token: TokenInfo | null, repository: string): boolean {
  return !isLimited(token) || matchesAnyRepository(token.repositories, repository);
}

/**
 * The repository Customs knows a digest by: its stored manifest, else its newest scan, else the
 * manifest of an index's first platform. Null for a digest Customs has never seen.
 */
export async function repositoryOfDigest(
  store: Pick<Store, 'images' | 'scans'>,
  digest: string,
): Promise<string | null> {
  const image = await store.images.get(digest);
  if (image !== null) return image.repository;
  const scan = await store.scans.latestFor(digest);
  if (scan !== null) return scan.repository;
  const [child] = await store.images.children(digest);
  return child === undefined ? null : ((await store.images.get(child.digest))?.repository ?? null);
}

/** For a limited token only (the hot path of unlimited tokens asks nothing): the digest's repository must be one of its globs. */
export async function requireDigestRepository(
  store: Pick<Store, 'images' | 'scans'>,
  token: TokenInfo | null,
  digest: string,
): Promise<void> {
  if (!isLimited(token)) return;
  requireRepository(token, await repositoryOfDigest(store, digest), digest);
}
