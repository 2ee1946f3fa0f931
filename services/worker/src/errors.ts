import { CustomsError } from '@customs/errors';

/**
 * A job names a registry the operator has not configured (or no longer does). Nothing is pulled from
 * it: a queued job must not be a way to make the worker fetch from an arbitrary host.
 */
export class RegistryNotConfiguredError extends CustomsError {
  constructor(registry: string, image: string) {
    super('REGISTRY_NOT_CONFIGURED', `registry ${registry} is not configured; nothing was pulled from it`, {
      hint: 'add the registry to `registries` in the service configuration, then scan the image again',
      context: { image },
    });
  }
}

/** A job whose scan record is gone: the database was reset, or the job was queued by hand. */
export class ScanNotFoundError extends CustomsError {
  constructor(scanId: string, image: string) {
    super('SCAN_NOT_FOUND', `scan ${scanId} does not exist in the database`, {
      hint: 'request the scan again through the API or a registry push',
      context: { image },
    });
  }
}
