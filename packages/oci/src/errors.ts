import { CustomsError, errorCodesIn, type ErrorCodeIn, type ErrorContext } from '@customs/errors';

/** The codes this package raises (declared in @customs/errors); callers switch on these. */
export const ociErrorCodes = errorCodesIn('oci');

export type OciErrorCode = ErrorCodeIn<'oci'>;

/** Base of this package's errors: a CustomsError whose code is one of `ociErrorCodes`. */
export class OciError extends CustomsError {
  declare readonly code: OciErrorCode;

  constructor(
    code: OciErrorCode,
    message: string,
    options: { hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

const credentialsHint =
  'pass credentials with --username/--password or CUSTOMS_REGISTRY_AUTH; a registry may also answer this way for a repository that does not exist';

export class RegistryAuthError extends OciError {
  constructor(registry: string, detail: string, context: ErrorContext = {}, cause?: unknown) {
    super('REGISTRY_AUTH_FAILED', `registry ${registry} refused access: ${detail}`, {
      hint: credentialsHint,
      context,
      cause,
    });
  }
}

export class RegistryUnavailableError extends OciError {
  readonly attempts: number;

  constructor(
    registry: string,
    attempts: number,
    lastProblem: string,
    context: ErrorContext = {},
    cause?: unknown,
  ) {
    super(
      'REGISTRY_UNAVAILABLE',
      `registry ${registry} is unavailable: ${lastProblem} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      { hint: 'check that the registry is reachable and try again later', context, cause },
    );
    this.attempts = attempts;
  }
}

/** A response the protocol does not allow here (an unexpected status, a redirect loop, a bad token answer). */
export class RegistryRequestError extends OciError {
  constructor(registry: string, detail: string, context: ErrorContext = {}, cause?: unknown) {
    super('REGISTRY_REQUEST_FAILED', `registry ${registry}: ${detail}`, { context, cause });
  }
}

export class ManifestNotFoundError extends OciError {
  constructor(registry: string, repository: string, reference: string, context: ErrorContext = {}) {
    super('MANIFEST_NOT_FOUND', `manifest ${repository}:${reference} not found on ${registry}`, {
      hint: 'check the repository name and the tag or digest',
      context,
    });
  }
}

export class BlobNotFoundError extends OciError {
  constructor(where: string, digest: string, context: ErrorContext = {}) {
    super('BLOB_NOT_FOUND', `blob ${digest} not found in ${where}`, {
      hint: 'the image is incomplete where it is stored; push or save it again',
      context: { layer: digest, ...context },
    });
  }
}

export class DigestMismatchError extends OciError {
  readonly expected: string;
  readonly actual: string;

  constructor(
    code: 'MANIFEST_DIGEST_MISMATCH' | 'BLOB_DIGEST_MISMATCH',
    what: string,
    expected: string,
    actual: string,
    context: ErrorContext = {},
  ) {
    super(code, `${what} has digest ${actual}, expected ${expected}`, {
      hint: 'the content was corrupted or tampered with in storage or in transit; nothing of it was used',
      context,
    });
    this.expected = expected;
    this.actual = actual;
  }
}

export class BlobSizeMismatchError extends OciError {
  constructor(what: string, expected: number, actual: string, context: ErrorContext = {}) {
    super('BLOB_SIZE_MISMATCH', `${what} is ${actual} bytes, its descriptor says ${expected}`, {
      hint: 'the content was truncated or altered; nothing of it was used',
      context,
    });
  }
}

export class UnsupportedManifestError extends OciError {
  constructor(what: string, detail: string, context: ErrorContext = {}) {
    super('UNSUPPORTED_MANIFEST', `${what}: ${detail}`, {
      hint: 'Customs reads OCI image manifests and indexes and Docker schema 2 manifests and manifest lists',
      context,
    });
  }
}

/** A manifest whose config is not an image configuration: an artifact (SBOM, signature, attestation…). */
export class NotAnImageError extends OciError {
  constructor(what: string, artifactType: string, context: ErrorContext = {}) {
    super('NOT_AN_IMAGE', `${what}: it is an OCI artifact of type ${artifactType}, not a container image`, {
      context,
    });
  }
}

export class ManifestInvalidError extends OciError {
  constructor(what: string, detail: string, context: ErrorContext = {}, cause?: unknown) {
    super('MANIFEST_INVALID', `${what} is not a valid manifest: ${detail}`, { context, cause });
  }
}

export class ConfigInvalidError extends OciError {
  constructor(digest: string, detail: string, context: ErrorContext = {}, cause?: unknown) {
    super('IMAGE_CONFIG_INVALID', `image config ${digest} is not valid: ${detail}`, { context, cause });
  }
}

export class PlatformNotFoundError extends OciError {
  readonly available: string[];

  constructor(wanted: string, available: string[], context: ErrorContext = {}) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    super('PLATFORM_NOT_FOUND', `no image for platform ${wanted}; available: ${list}`, {
      hint: 'choose one of the available platforms (--platform), or scan them all',
      context,
    });
    this.available = available;
  }
}

export class InvalidReferenceError extends OciError {
  constructor(reference: string, problem: string) {
    super('INVALID_REFERENCE', `invalid image reference "${reference}": ${problem}`, {
      hint: 'write it as [registry[:port]/]repository[:tag][@sha256:digest], e.g. debian:bookworm',
    });
  }
}

export class InvalidTargetError extends OciError {
  constructor(target: string, problem: string, hint: string, cause?: unknown) {
    super('INVALID_TARGET', `cannot scan "${target}": ${problem}`, { hint, cause });
  }
}

/** The referrers of an image, as the registry or its sha256-<hex> fallback tag holds them, are not an image index. */
export class ReferrersIndexInvalidError extends OciError {
  constructor(where: string, problem: string, context: ErrorContext = {}) {
    super('REFERRERS_INDEX_INVALID', `the referrers list ${where} is not an OCI image index: ${problem}`, {
      hint: 'look at what was pushed to that tag; delete it if it is not a referrers index, then push again',
      context,
    });
  }
}
