import { errorCodes, isErrorCode } from './codes.js';
import { isCustomsError } from './customs-error.js';

export { errorCodes, errorCodesIn, isErrorCode } from './codes.js';
export type { ErrorArea, ErrorCode, ErrorCodeDeclaration, ErrorCodeIn } from './codes.js';
export {
  CustomsError,
  describeError,
  InvalidInputError,
  InvalidOptionError,
  isCustomsError,
  type CustomsErrorOptions,
  type ErrorContext,
} from './customs-error.js';
export { errorDocument } from './error-document.js';
export type { ErrorDocument } from './error-document.js';

/**
 * Whether trying the same thing again later may succeed, as `errorCodes` declares for the error's
 * code. Anything else thrown (a plain Error, a code this copy of the package does not know) is judged
 * as INTERNAL.
 */
export function isRetryable(error: unknown): boolean {
  const code = isCustomsError(error) && isErrorCode(error.code) ? error.code : 'INTERNAL';
  return errorCodes[code].retryable;
}
