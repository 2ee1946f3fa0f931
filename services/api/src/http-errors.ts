import type { ErrorCode } from '@customs/errors';

/**
 * The one table from error codes to HTTP statuses: domain errors carry no status, the API decides
 * here. A code not in this table is answered as INTERNAL (500) and logged, so the codes an error
 * answer can carry are exactly these keys; a test holds the contract's ErrorCode description to them.
 * (The ErrorCode enum itself lists every declared code: a failed scan's error may carry any.)
 */
export const HTTP_STATUS_OF_CODE = {
  REQUEST_INVALID: 400,
  INVALID_REFERENCE: 400,
  SEVERITY_INVALID: 400,
  REPORT_FORMAT_UNSUPPORTED: 400,
  INVALID_TOKEN_SCOPE: 400,
  SOURCE_UNSUPPORTED: 400,
  SUBSCRIPTION_INVALID: 400,
  VEX_INVALID: 400,
  UNAUTHENTICATED: 401,
  TOKEN_SCOPE_MISSING: 403,
  IMPORT_SOURCE_FORBIDDEN: 403,
  TOKEN_REPOSITORY_FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  IMAGE_NOT_FOUND: 404,
  SCAN_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  MANIFEST_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  VEX_DOCUMENT_NOT_FOUND: 404,
  SCAN_PENDING: 409,
  SCAN_FAILED: 409,
  IMAGE_IS_INDEX: 409,
  REGISTRY_NOT_CONFIGURED: 422,
  SOURCE_UNREADABLE: 422,
  INTERNAL: 500,
  POLICY_INVALID: 500,
  TAG_RESOLUTION_FAILED: 502,
  DOWNLOAD_FAILED: 502,
  UPDATE_FAILED: 502,
  DB_UNAVAILABLE: 503,
  QUEUE_UNAVAILABLE: 503,
} as const satisfies Partial<Record<ErrorCode, number>>;

export type ApiErrorCode = keyof typeof HTTP_STATUS_OF_CODE;

/** Headers some answers carry: how to authenticate, when to ask again. */
export const HEADERS_OF_CODE: Partial<Record<ApiErrorCode, Record<string, string>>> = {
  UNAUTHENTICATED: { 'WWW-Authenticate': 'Bearer realm="customs"' },
  SCAN_PENDING: { 'Retry-After': '5' },
};

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(HTTP_STATUS_OF_CODE, code);
}
