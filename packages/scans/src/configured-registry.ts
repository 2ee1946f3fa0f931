import { findRegistry, type RegistryConfig } from '@customs/config';
import { RegistryNotConfiguredError } from './errors.js';

export type Admission = { ok: true; registry: RegistryConfig } | { ok: false; reason: string };

/**
 * The allow-list every caller goes through before Customs asks a registry anything: the registry
 * named (by host or alias) must be configured and, when the caller speaks for one registry only
 * (`pinned`: a webhook secret for GHCR, Docker Hub, Quay, ECR), be that one.
 */
export function admitRegistry(
  registries: readonly RegistryConfig[],
  claimed: string,
  pinned: string | null = null,
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

/** The configured registry named `host`, or REGISTRY_NOT_CONFIGURED (naming `image` when given). */
export function requireRegistry(
  registries: readonly RegistryConfig[],
  host: string,
  image?: string,
): RegistryConfig {
  const admission = admitRegistry(registries, host);
  if (!admission.ok) throw new RegistryNotConfiguredError(host, image);
  return admission.registry;
}
