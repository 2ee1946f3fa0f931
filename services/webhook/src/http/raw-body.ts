import express, { type RequestHandler } from 'express';
import { errorDocument } from '@customs/errors';
import type { ErrorResponse } from '../delivery/outcomes.js';

/**
 * The body as bytes, whatever the Content-Type (Distribution posts `…events.v1+json`/`v2+json`,
 * Harbor `application/cloudevents+json`, GitHub may omit a charset): HMACs are computed over exactly
 * what was sent, and JSON is parsed by us afterwards. Larger than `limit` is refused while reading.
 */
export function rawBody(limit: number): RequestHandler {
  return express.raw({ type: () => true, limit });
}

/** body-parser errors carry a `type` and a 4xx `status`. */
function bodyErrorStatus(error: unknown): { status: number; type: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const status = 'status' in error && typeof error.status === 'number' ? error.status : null;
  const type = 'type' in error && typeof error.type === 'string' ? error.type : null;
  return status !== null && status >= 400 && status < 500 && type !== null ? { status, type } : null;
}

/** How a body that could not be read is answered; null for errors that are not about the body. */
export function bodyErrorResponse(error: unknown, limit: number): ErrorResponse | null {
  const problem = bodyErrorStatus(error);
  if (problem === null) return null;
  if (problem.type === 'entity.too.large') {
    return {
      status: 413,
      body: errorDocument(
        'REQUEST_INVALID',
        `the body is larger than ${limit} bytes`,
        'raise webhook.bodyLimitBytes if the sender is right to send this much',
      ),
    };
  }
  return {
    status: problem.status,
    body: errorDocument('REQUEST_INVALID', `the body cannot be read: ${problem.type}`),
  };
}
