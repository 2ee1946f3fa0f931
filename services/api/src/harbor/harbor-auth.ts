import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HarborUnauthenticatedError } from './harbor-errors.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Harbor's scanner registration sends `Authorization: Bearer <token>` on every call; the token is
 * `harbor.token`. Compared as hashes in constant time, so neither the length nor a prefix leaks.
 */
export function requireHarborToken(token: string) {
  const expected = digest(token);
  return (request: Request, _response: Response, next: NextFunction): void => {
    const given = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    next(new HarborUnauthenticatedError());
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
