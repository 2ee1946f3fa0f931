import type { ErrorCode } from './codes.js';

/**
 * The JSON body both HTTP services (API, webhook) answer an error with: the contract's `Error`
 * schema. The status is each service's own decision, made at its edge.
 */
export interface ErrorDocument<C extends ErrorCode = ErrorCode> {
  error: { code: C; message: string; hint?: string };
}

export function errorDocument<C extends ErrorCode>(
  code: C,
  message: string,
  hint?: string,
): ErrorDocument<C> {
  return { error: { code, message, ...(hint !== undefined && { hint }) } };
}
