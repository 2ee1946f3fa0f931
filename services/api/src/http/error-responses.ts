import { errorDocument, isCustomsError, type ErrorDocument } from '@customs/errors';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { RouteNotFoundError } from '../errors.js';
import { HEADERS_OF_CODE, HTTP_STATUS_OF_CODE, isApiErrorCode, type ApiErrorCode } from '../http-errors.js';

type ErrorBody = ErrorDocument<ApiErrorCode>;

/** Anything no operation answered. */
export function notFound(request: Request, _response: Response, next: NextFunction): void {
  next(new RouteNotFoundError(request.method, request.path));
}

/**
 * Every error as `{ error: { code, message, hint? } }` (the ErrorDocument the webhook answers too) with the status the table gives its code.
 * An error the table does not know is a bug: logged in full, answered as INTERNAL without details.
 */
export function errorResponder(logger: Logger) {
  return (error: unknown, request: Request, response: Response, next: NextFunction): void => {
    if (response.headersSent) return next(error);
    const known = asKnownError(error);
    const status = HTTP_STATUS_OF_CODE[known.error.code];
    if (status >= 500)
      logger.error({ err: error, method: request.method, path: request.path }, 'request failed');
    response
      .status(status)
      .set(HEADERS_OF_CODE[known.error.code] ?? {})
      .json(known);
  };
}

function asKnownError(error: unknown): ErrorBody {
  const unreachable = unreachableDatabase(error);
  if (unreachable !== null) {
    return errorDocument(
      'DB_UNAVAILABLE',
      `the database did not answer: ${unreachable}`,
      'check that PostgreSQL is running and reachable; GET /readyz says what is down',
    );
  }
  if (isCustomsError(error) && isApiErrorCode(error.code)) {
    return errorDocument(error.code, error.message, error.hint);
  }
  return errorDocument('INTERNAL', 'the request failed unexpectedly; the API log has the details');
}

/** Socket errors, and PostgreSQL's "cannot connect" / "shutting down" / "no such database" states. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);
const POSTGRES_UNAVAILABLE = /^(08...|57P0[1-3]|3D000)$/;

/**
 * The store passes driver errors through as they are: the ones that mean the database cannot be
 * reached are the operator's problem (503), not a bug (500). Returns what went wrong, or null.
 */
function unreachableDatabase(error: unknown): string | null {
  if (!(error instanceof Error) || isCustomsError(error)) return null;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  const lost = /Connection terminated|timeout exceeded when trying to connect/.test(error.message);
  return UNREACHABLE.has(code) || POSTGRES_UNAVAILABLE.test(code) || lost ? error.message : null;
}

/** One debug line per request (method, path, status, time); never headers, so never a token. */
export function requestLog(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!logger.isLevelEnabled('debug')) return next();
    const started = performance.now();
    response.on('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      logger.debug(
        { method: request.method, path: request.path, status: response.statusCode, ms },
        'request',
      );
    });
    next();
  };
}
