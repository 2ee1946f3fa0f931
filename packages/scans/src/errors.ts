import { CustomsError, errorCodesIn } from '@customs/errors';

/** Every code the scan use-case raises itself (declared in @customs/errors); the codes of the libraries it calls pass through unchanged. */
export const scanErrorCodes = errorCodesIn('scans');

/**
 * A registry the operator has not configured (or no longer does). Nothing is requested from it: a scan
 * request, a push event or a queued job must not be a way to make Customs reach an arbitrary host.
 */
export class RegistryNotConfiguredError extends CustomsError {
  constructor(registry: string, image?: string) {
    super(
      'REGISTRY_NOT_CONFIGURED',
      `registry ${registry} is not configured; nothing was requested from it`,
      {
        hint: 'add the registry to `registries` in the service configuration, then scan the image again',
        ...(image !== undefined && { context: { image } }),
      },
    );
  }
}

/**
 * A tag that could not be turned into a digest at its (configured) registry: the registry is down,
 * refuses the credentials, or answers nonsense. A tag the registry says it does not have is not this
 * error but the registry client's MANIFEST_NOT_FOUND, passed through.
 */
export class TagResolutionError extends CustomsError {
  constructor(reference: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('TAG_RESOLUTION_FAILED', `could not resolve ${reference} at its registry: ${detail}`, {
      cause,
      hint: 'check that the registry is up and its credentials in the configuration are right, or send the digest',
      context: { image: reference },
    });
  }
}

/** A scan id with no scan record: a wrong id, a reset database, or a job queued by hand. */
export class ScanNotFoundError extends CustomsError {
  constructor(scanId: string, image?: string) {
    super('SCAN_NOT_FOUND', `scan ${scanId} does not exist`, {
      hint: 'use the id a scan request answered, or request the scan again through the API or a registry push',
      ...(image !== undefined && { context: { image } }),
    });
  }
}
