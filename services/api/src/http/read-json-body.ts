import express, { type Request, type Response } from 'express';
import { RequestInvalidError } from '../errors.js';

/** Request bodies are small JSON documents (a reference, a token name). */
const parseJson = express.json({ limit: '64kb' });

/**
 * Reads the JSON body into `request.body`. What body-parser refuses is the caller's fault, never a
 * 500: malformed JSON, a body over the limit, an unknown charset or Content-Encoding, a body that
 * does not match its Content-Length, and one that claims gzip/deflate/br and does not decompress.
 * Anything else it throws (a bug on our side) is passed on as it is.
 */
export function readJsonBody(request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    parseJson(request, response, (error?: unknown) => {
      if (error === undefined) return resolve();
      const problem = bodyProblem(error, request.headers['content-encoding']);
      reject(problem === null ? error : new RequestInvalidError([problem]));
    });
  });
}

const PROBLEM_OF_TYPE: Readonly<Record<string, string>> = {
  'entity.parse.failed': 'body: not valid JSON',
  'entity.too.large': 'body: larger than the API accepts',
  'charset.unsupported': 'body: unsupported charset',
  'encoding.unsupported': 'body: unsupported Content-Encoding',
  'request.size.invalid': 'body: its length does not match Content-Length',
  'request.aborted': 'body: the client stopped sending it',
};

function bodyProblem(error: unknown, encoding: string | undefined): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const type = 'type' in error && typeof error.type === 'string' ? error.type : '';
  const known = PROBLEM_OF_TYPE[type];
  if (known !== undefined) return known;
  // zlib's own errors (Z_DATA_ERROR for bytes that are not gzip, Z_BUF_ERROR for a cut-off stream)
  // reach here with no body-parser type.
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR_ZSTD')) {
    return `body: Content-Encoding says ${encoding ?? 'compressed'} but the body does not decompress as that`;
  }
  return null;
}
