import { createHash, timingSafeEqual } from 'node:crypto';
import { serviceConfigSchema, type AdmissionConfig } from '@customs/config';
import { CustomsError } from '@customs/errors';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiContext } from '../api-context.js';
import type { Handlers } from '../http/typed-operations.js';
import { requestScan } from '../scans/request-scan.js';
import { UnreadableReview } from './admission-review.js';
import { createAdmissionReviewer } from './review-admission.js';
import { cachedTagResolver } from './tag-cache.js';

export const ADMISSION_PATH = '/v1/admission';

/**
 * POST /v1/admission, mounted from the contract like every operation; `admissionGate` runs first.
 * The handler only hands the body to the reviewer, which always answers 200 with an AdmissionReview.
 */
export function admissionHandlers(context: ApiContext): Pick<Handlers, 'reviewAdmission'> {
  const config = admissionConfig(context);
  const inFlight = new Map<string, Promise<string>>();
  const review = createAdmissionReviewer({
    config,
    logger: context.deps.logger,
    judge: {
      registries: context.deps.config.registries,
      verdictOf: async (digest) => (await context.verdicts.forDigest(digest)).value,
      resolveTag: cachedTagResolver(context.resolveTag, {
        ttlMs: config.tagCacheSeconds * 1000,
        maxEntries: context.tuning.verdictCacheEntries,
        clock: context.clock,
      }),
      // A ReplicaSet's pods all ask for the same unscanned digest at once: one request for them all.
      requestScan(target) {
        const pending =
          inFlight.get(target.digest) ??
          requestScan(context, { ...target, tag: target.tag ?? undefined }).then(({ scan }) => scan.id);
        inFlight.set(target.digest, pending);
        return pending.finally(() => inFlight.delete(target.digest));
      },
    },
  });
  return {
    async reviewAdmission({ body }) {
      return { status: 200, body: await review(body) };
    },
  };
}

/**
 * What runs before the contract's route: the configured bearer token (when there is one), then the
 * body read here rather than by the API's JSON parser, whose size limit and error answers fit API
 * clients. A body that is not JSON, or too large, reaches the handler as an UnreadableReview and is
 * answered with a well-formed deny instead of an error document.
 */
export function admissionGate(context: ApiContext): RequestHandler {
  const config = admissionConfig(context);
  const expected = config.token === null ? null : digestOf(config.token);
  return (request: Request, _response: Response, next: NextFunction) => {
    if (expected !== null && !bearerMatches(request.headers.authorization, expected)) {
      next(
        new CustomsError('UNAUTHENTICATED', 'admission reviews need the configured bearer token', {
          hint: "give the apiserver a kubeconfig with admission.token for this webhook's URL (see deploy/kubernetes/README.md)",
        }),
      );
      return;
    }
    readReview(request, config.bodyLimitBytes).then((body) => {
      request.body = body;
      next();
    }, next);
  };
}

/** The app's admission settings; an app built without them (tests, other roles) gets the defaults. */
function admissionConfig(context: ApiContext): AdmissionConfig {
  return context.deps.config.admission ?? { ...serviceConfigSchema.parse({}).admission, token: null };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Compared as sha256 digests: equal lengths, so timingSafeEqual says nothing about the token's length. */
function bearerMatches(authorization: string | undefined, expected: Buffer): boolean {
  const token = BEARER.exec(authorization ?? '')?.[1];
  return token !== undefined && timingSafeEqual(digestOf(token), expected);
}

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The whole body, read to its end even past the limit (so nothing is left for another parser). */
async function readReview(request: Request, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size <= limit) chunks.push(bytes);
  }
  if (size > limit)
    return new UnreadableReview(`the body is larger than admission.bodyLimitBytes (${limit})`);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return new UnreadableReview('the body is not valid JSON');
  }
}
