import { findRegistry, type RegistryConfig } from '@customs/config';

export type Admission = { ok: true; registry: RegistryConfig } | { ok: false; reason: string };

/**
 * The SSRF guard for push events: the registry a payload names is used only when it is a configured
 * registry (by host or alias), and, for a source whose secret speaks for one registry (GHCR, Docker Hub,
 * Quay, ECR), only when it is that one. Nothing is ever fetched from a host that fails here.
 */
export function admitRegistry(
  registries: readonly RegistryConfig[],
  claimed: string,
  pinned: string | null,
): Admission {
  const registry = findRegistry(registries, claimed);
  if (registry === null) return { ok: false, reason: `registry ${claimed} is not configured` };
  if (pinned !== null && findRegistry(registries, pinned) !== registry) {
    return {
      ok: false,
      reason: `registry ${claimed} is not ${pinned}, the registry this webhook is configured for`,
    };
  }
  return { ok: true, registry };
}
