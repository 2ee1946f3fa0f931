import { CustomsError, isCustomsError, type ErrorCode } from '@customs/errors';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { MIME } from './media-types.js';

/**
 * The statuses of Harbor's spec for the errors the adapter answers: 400 for a body that is not JSON
 * or has values of the wrong type, 422 for an invalid field, 404 for an unknown scan request, 501 for
 * what Customs cannot produce or consume, 500 for a failed scan and for anything unexpected.
 */
const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  REQUEST_INVALID: 400,
  UNAUTHENTICATED: 401,
  SCAN_NOT_FOUND: 404,
  INVALID_INPUT: 422,
  INVALID_REFERENCE: 422,
  DIGEST_INVALID: 422,
  REGISTRY_NOT_CONFIGURED: 422,
  SCAN_FAILED: 500,
  REPORT_INCOMPLETE: 500,
  REPORT_FORMAT_UNSUPPORTED: 501,
  UNSUPPORTED_MANIFEST: 501,
};

/** A body that is not JSON, or holds a value of the wrong type: the spec's 400. */
export class HarborRequestInvalidError extends CustomsError {
  constructor(problems: readonly string[]) {
    super('REQUEST_INVALID', `not a scan request: ${problems.join('; ')}`, {
      hint: `send ${MIME.scanRequest} as the spec's ScanRequest`,
    });
  }
}

/** A field of a scan request the spec allows but Customs cannot act on (a missing digest, say). */
export class HarborFieldInvalidError extends CustomsError {
  constructor(problem: string) {
    super('INVALID_INPUT', `invalid scan request: ${problem}`, {
      hint: 'Harbor sends the registry URL, the repository and the digest of a manifest; check its scanner settings',
    });
  }
}

export class HarborUnauthenticatedError extends CustomsError {
  constructor() {
    super('UNAUTHENTICATED', 'this scanner adapter needs the configured token', {
      hint: 'register the scanner in Harbor with authorization "Bearer" and the token of `harbor.token`',
    });
  }
}

/** A report type, or a scan capability, Customs does not produce. */
export class HarborCapabilityError extends CustomsError {
  constructor(what: string) {
    super('REPORT_FORMAT_UNSUPPORTED', `Customs does not produce ${what}`, {
      hint: 'GET /api/v1/metadata lists what Customs produces',
    });
  }
}

export class HarborArtifactUnsupportedError extends CustomsError {
  constructor(mimeType: string) {
    super('UNSUPPORTED_MANIFEST', `Customs does not scan artifacts of type ${mimeType} for Harbor`, {
      hint: 'GET /api/v1/metadata lists the artifact types Customs consumes',
    });
  }
}

export class HarborScanRequestNotFoundError extends CustomsError {
  constructor(id: string) {
    super('SCAN_NOT_FOUND', `scan request ${id} is unknown or has expired`, {
      hint: 'scan the artifact again from Harbor',
    });
  }
}

export class HarborScanFailedError extends CustomsError {
  constructor(id: string, error: { code: string; message: string } | null) {
    const why = error ? `${error.code}: ${error.message}` : 'no error was recorded';
    super('SCAN_FAILED', `the scan of request ${id} failed: ${why}`, {
      hint: 'fix the cause and scan the artifact again from Harbor',
    });
  }
}

/**
 * The scan finished but could not read files it needed: a vulnerability report of what it did read
 * would look cleaner than the image is, so Harbor gets the spec's error document instead.
 */
export class HarborScanIncompleteError extends CustomsError {
  constructor(id: string, unread: ReadonlyArray<{ reason: string; code: string }>) {
    const named = unread
      .slice(0, 3)
      .map((record) => `${record.reason} [${record.code}]`)
      .join('; ');
    const more = unread.length > 3 ? `; and ${unread.length - 3} more` : '';
    super('REPORT_INCOMPLETE', `the scan of request ${id} could not read what it needed: ${named}${more}`, {
      hint: 'fix the cause (often a file over a size limit) and scan the artifact again from Harbor',
    });
  }
}

/** `{ error: { message } }`, the spec's ErrorResponse, with its MIME type. */
export function sendHarborError(response: Response, status: number, message: string): void {
  // A Buffer, so express sends the type as written (a string would get `; charset=utf-8` added).
  response
    .status(status)
    .set('Content-Type', MIME.error)
    .send(Buffer.from(JSON.stringify({ error: { message } })));
}

/**
 * Every error as Harbor reads it. 404 has no body (the spec declares none); an error the table does
 * not know is answered 500: a Customs error with its own words, anything else (a bug) without
 * details, logged in full.
 */
export function harborErrorResponder(logger: Logger) {
  return (error: unknown, request: Request, response: Response, next: NextFunction): void => {
    if (response.headersSent) return next(error);
    const parseProblem = bodyParserProblem(error);
    if (parseProblem !== null) return sendHarborError(response, 400, `REQUEST_INVALID: ${parseProblem}`);
    const status = isCustomsError(error) ? STATUS_OF_CODE[error.code] : undefined;
    if (status === 404) {
      response.status(404).end();
      return;
    }
    if (isCustomsError(error) && status !== undefined) {
      if (status === 401) response.set('WWW-Authenticate', 'Bearer realm="customs-harbor"');
      return sendHarborError(response, status, `${error.code}: ${error.toLine()}`);
    }
    if (isCustomsError(error)) {
      // Its own words, as every Customs error is written for the user; never its cause.
      logger.error({ code: error.code, error: error.toLine(), path: request.path }, 'Harbor request failed');
      return sendHarborError(response, 500, `${error.code}: ${error.toLine()}`);
    }
    logger.error({ err: error, method: request.method, path: request.path }, 'Harbor request failed');
    sendHarborError(response, 500, 'INTERNAL: the request failed; the Customs API log has the details');
  };
}

function bodyParserProblem(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  if (error.type === 'entity.parse.failed') return 'the body is not valid JSON';
  if (error.type === 'entity.too.large') return 'the body is larger than a scan request can be';
  if (error.type === 'charset.unsupported' || error.type === 'encoding.unsupported')
    return 'the body has an unsupported encoding';
  return null;
}
