import { CustomsError, describeError, isCustomsError } from '@customs/errors';

/**
 * Failures that may pass by themselves: BullMQ tries the job again, with backoff. A registry that is
 * down or slow, a network that broke, a layer another worker was analysing when we gave up waiting,
 * PostgreSQL or Redis away for a moment.
 */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'REGISTRY_UNAVAILABLE',
  'BLOB_TRANSFER_INTERRUPTED',
  'LAYER_LEASE_ABORTED',
  'LAYER_SCAN_ABORTED',
  'DB_UNAVAILABLE',
  'QUEUE_UNAVAILABLE',
  // a registry that could not say what a tag points to (a missing tag is MANIFEST_NOT_FOUND, final)
  'TAG_RESOLUTION_FAILED',
]);

/**
 * Failures another try cannot fix: the answer would be the same. They fail the scan at once, with the
 * code a user can act on.
 */
export const FINAL_CODES: ReadonlySet<string> = new Set([
  // where to pull from, and whether we may
  'REGISTRY_NOT_CONFIGURED',
  'REGISTRY_AUTH_FAILED',
  'REGISTRY_REQUEST_FAILED',
  'INVALID_REFERENCE',
  // what was pushed
  'MANIFEST_NOT_FOUND',
  'BLOB_NOT_FOUND',
  'MANIFEST_DIGEST_MISMATCH',
  'MANIFEST_INVALID',
  'UNSUPPORTED_MANIFEST',
  'CONFIG_INVALID',
  'PLATFORM_NOT_FOUND',
  'BLOB_DIGEST_MISMATCH',
  'BLOB_SIZE_MISMATCH',
  'DIGEST_INVALID',
  // the layers themselves
  'LAYER_CORRUPT',
  'LAYER_TRUNCATED',
  'LAYER_TOO_LARGE',
  'LAYER_TOO_MANY_ENTRIES',
  'LAYER_KEEPS_TOO_MUCH',
  'LAYER_DIFFID_MISMATCH',
  'LAYER_UNSUPPORTED',
  // the job
  'JOB_PAYLOAD_INVALID',
  'SCAN_NOT_FOUND',
  // local images only (archives, layouts, directories): never from a registry, final if they ever are
  'INVALID_TARGET',
  'LAYER_NOT_IN_IMAGE',
  'OCI_LAYOUT_INVALID',
  'IMAGE_TAG_NOT_FOUND',
  'IMAGE_AMBIGUOUS',
  'ARCHIVE_INVALID',
  'ARCHIVE_COMPRESSED',
  'ROOTFS_UNREADABLE',
]);

/**
 * Hints written for the command line (flags, env variables) replaced by what an operator of the
 * service can do: the scan's error is read in the API and the dashboard, not in a terminal.
 */
const SERVICE_HINTS: Readonly<Record<string, string>> = {
  REGISTRY_AUTH_FAILED:
    'check the username and password configured for this registry (registries[] in the service configuration); a registry may also answer this way for a repository that does not exist',
};

/** How a scan failed, as stored on the scan and in dead letters. */
export interface ScanFailure {
  code: string;
  /** One line: where, what, and what to do. */
  message: string;
  retryable: boolean;
}

/** Code for anything thrown that is not a CustomsError (a bug, a driver error). */
export const UNEXPECTED_CODE = 'SCAN_FAILED';

/**
 * Sorts a failure into retryable or final by its code. A code in neither list (a bug, an error
 * from a driver) is retried: BullMQ's attempt limit still ends it, and a transient cause gets its chance.
 * The indexer wraps foreign errors as LAYER_SCAN_FAILED, so that code is judged by its cause.
 */
export function classifyFailure(error: unknown): ScanFailure {
  if (!isCustomsError(error))
    return { code: UNEXPECTED_CODE, message: oneLine(describeError(error)), retryable: true };
  const message = oneLine(lineOf(error));
  if (error.code === 'LAYER_SCAN_FAILED' && isCustomsError(error.cause)) {
    return { ...classifyFailure(error.cause), code: error.cause.code, message };
  }
  return {
    code: error.code,
    message,
    retryable: RETRYABLE_CODES.has(error.code) || !FINAL_CODES.has(error.code),
  };
}

/** `CODE: message`: how a failure reads in a dead letter and in BullMQ's failedReason. */
export function failureLine(failure: Pick<ScanFailure, 'code' | 'message'>): string {
  return `${failure.code}: ${failure.message}`;
}

/** The error thrown to BullMQ for a final failure: named so BullMQ does not retry it. */
export class FinalScanFailure extends CustomsError {
  constructor(failure: ScanFailure, cause: unknown) {
    super(failure.code, failure.message, { cause });
    // BullMQ recognises unrecoverable errors by this name as well as by class.
    this.name = 'UnrecoverableError';
  }
}

/** Where, what, and what to do: the error's own line, with the service's hint where it has one. */
function lineOf(error: CustomsError): string {
  const hint = SERVICE_HINTS[error.code] ?? error.hint;
  const where = [
    error.context.image && `image ${error.context.image}`,
    error.context.layer && `layer ${error.context.layer}`,
    error.context.path && `file ${error.context.path}`,
  ].filter(Boolean);
  return `${where.length ? `${where.join(', ')}: ` : ''}${error.message}${hint ? ` (${hint})` : ''}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
