import {
  CustomsError,
  describeError,
  isCustomsError,
  isErrorCode,
  isRetryable,
  type ErrorCode,
} from '@customs/errors';

/**
 * Hints written for the command line (flags, env variables) replaced by what an operator of the
 * service can do: the scan's error is read in the API and the dashboard, not in a terminal.
 */
const SERVICE_HINTS: Readonly<Partial<Record<ErrorCode, string>>> = {
  REGISTRY_AUTH_FAILED:
    'check the username and password configured for this registry (registries[] in the service configuration); a registry may also answer this way for a repository that does not exist',
};

/** How a scan failed, as stored on the scan and in dead letters. */
export interface ScanFailure {
  code: ErrorCode;
  /** One line: where, what, and what to do. */
  message: string;
  retryable: boolean;
}

/** Code for anything thrown that is not a CustomsError (a bug, a driver error). */
export const UNEXPECTED_CODE = 'INTERNAL' satisfies ErrorCode;

/**
 * Sorts a failure into retryable or final by what `errorCodes` declares for its code. Anything that
 * is not a CustomsError (a bug, an error from a driver) is INTERNAL, which is retried: BullMQ's attempt
 * limit still ends it, and a transient cause gets its chance. The indexer wraps foreign errors as
 * LAYER_SCAN_FAILED, so that code is judged by its cause.
 */
export function classifyFailure(error: unknown): ScanFailure {
  if (!isCustomsError(error) || !isErrorCode(error.code))
    return { code: UNEXPECTED_CODE, message: oneLine(describeError(error)), retryable: isRetryable(error) };
  const message = oneLine(lineOf(error));
  if (error.code === 'LAYER_SCAN_FAILED' && isCustomsError(error.cause)) {
    return { ...classifyFailure(error.cause), message };
  }
  return { code: error.code, message, retryable: isRetryable(error) };
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
