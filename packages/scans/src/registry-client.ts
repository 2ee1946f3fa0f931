import type { RegistryConfig } from '@customs/config';
import {
  formatImageReference,
  openRegistryImage,
  parseImageReference,
  type ImageSource,
  type RegistryClientOptions,
} from '@customs/oci';
import type { ScanCredential } from '@customs/queue';
import { requireRegistry } from './configured-registry.js';

/** Registry client settings a caller (or a test) may tune; auth and plain HTTP come from the configuration. */
export type RegistryClientTuning = Pick<
  RegistryClientOptions,
  'retry' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'userAgent'
>;

/** For a caller that is waiting for the answer (a webhook sender, an API client): fewer, shorter attempts than a scan makes. */
export const CALLER_WAITS_TUNING: RegistryClientTuning = {
  retry: { maxAttempts: 2, maxRetryAfterMs: 2_000 },
  headersTimeoutMs: 10_000,
};

/**
 * Client options for one configured registry. The credentials are read from the configuration when the
 * client asks for them, and only for that registry's host: a redirect or token realm elsewhere never
 * gets the password. A credential the scan brought (`scanCredential`) takes the configured one's place.
 */
export function registryClientOptions(
  registry: RegistryConfig,
  tuning: RegistryClientTuning = {},
  scanCredential: ScanCredential | null = null,
): RegistryClientOptions {
  const credentials = scanCredential ?? registry.credentials;
  return {
    ...tuning,
    credentials: (host) => (credentials && host === registry.host ? credentials : undefined),
    insecureRegistries: registry.insecure ? [registry.host] : [],
  };
}

/** An image as a scan names it: the registry as it was given, a repository and a digest. */
export interface ImageAddress {
  registry: string;
  repository: string;
  digest: string;
}

/** `registry/repository@digest`, as the address was given: how logs and errors name the image. */
export function imageName(address: ImageAddress): string {
  return `${address.registry}/${address.repository}@${address.digest}`;
}

/**
 * Opens an image by digest on the configured registry the address names, with that registry's
 * credentials as the configuration says them now (not when the scan was requested: they change). A
 * registry missing from the configuration fails before any request is made.
 */
export function openImageByDigest(
  registries: readonly RegistryConfig[],
  address: ImageAddress,
  tuning: RegistryClientTuning = {},
  scanCredential: ScanCredential | null = null,
): ImageSource {
  const registry = requireRegistry(registries, address.registry, imageName(address));
  // Parsed rather than assembled, so a repository that is not a repository name fails here.
  const reference = parseImageReference(`${registry.host}/${address.repository}@${address.digest}`);
  return openRegistryImage(
    formatImageReference(reference),
    registryClientOptions(registry, tuning, scanCredential),
  );
}
