import type { AdmissionConfig } from '@customs/config';
import { describeError } from '@customs/errors';
import type { Logger } from 'pino';
import {
  parseAdmissionReview,
  reviewResponse,
  type AdmissionReviewResponse,
  type ReviewRequest,
} from './admission-review.js';
import { judgeReference, type ImageOutcome, type JudgeDeps } from './judge-reference.js';
import { namespaceModes, type AdmissionMode } from './namespace-modes.js';

export interface AdmissionReviewerOptions {
  config: Pick<AdmissionConfig, 'defaultMode' | 'namespaces' | 'failMode' | 'deadlineMs'>;
  judge: JudgeDeps;
  logger: Logger;
}

export type AdmissionReviewer = (body: unknown) => Promise<AdmissionReviewResponse>;

/** The apiserver may cut longer warnings; each one names its image first, so the cut loses the least. */
const WARNING_CHARS = 256;

/**
 * Answers AdmissionReview v1 requests. Each distinct image is judged at once, all under one deadline:
 * an image without an answer by then is unverified (never scanned inline), so the apiserver always
 * hears back before its own timeout. Never throws: a malformed review is a well-formed deny, and an
 * unexpected failure is answered as the fail mode says.
 */
export function createAdmissionReviewer(options: AdmissionReviewerOptions): AdmissionReviewer {
  const { config, logger } = options;
  const modeOf = namespaceModes(config);
  return async (body) => {
    const parsed = parseAdmissionReview(body);
    if (parsed.ok === false) {
      logger.warn({ uid: parsed.uid, problem: parsed.problem }, 'malformed admission review denied');
      return reviewResponse(parsed.uid, {
        allowed: false,
        status: {
          code: 400,
          reason: 'BadRequest',
          message: `Customs cannot read this AdmissionReview: ${parsed.problem}`,
        },
      });
    }
    if (parsed.ok === 'skip') {
      return reviewResponse(parsed.uid, {
        allowed: true,
        auditAnnotations: { decision: 'skipped', why: parsed.why },
      });
    }
    const { request } = parsed;
    const mode = modeOf(request.namespace);
    try {
      const outcomes = await judgeAll(options.judge, request, config.deadlineMs);
      const answer = decide(request, outcomes, mode, config.failMode);
      if (answer.denied.length > 0) {
        logger.info(
          { uid: request.uid, namespace: request.namespace, name: request.name, mode, denied: answer.denied },
          mode === 'enforce' ? 'admission denied' : 'admission would deny',
        );
      }
      return reviewResponse(request.uid, answer.response);
    } catch (error) {
      logger.error({ uid: request.uid, error: describeError(error) }, 'admission review failed');
      const why = `Customs could not judge the images: ${describeError(error)}`;
      return reviewResponse(request.uid, unverifiedAnswer(why, mode, config.failMode));
    }
  };
}

interface Judged {
  image: string;
  containers: string[];
  outcome: ImageOutcome;
}

async function judgeAll(deps: JudgeDeps, request: ReviewRequest, deadlineMs: number): Promise<Judged[]> {
  const containersOf = new Map<string, string[]>();
  for (const { image, container } of request.images) {
    containersOf.set(image, [...(containersOf.get(image) ?? []), container]);
  }
  const late: ImageOutcome = {
    state: 'unverified',
    digest: null,
    why: `no verdict within the admission deadline (${deadlineMs} ms)`,
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ImageOutcome>((resolve) => {
    timer = setTimeout(() => resolve(late), deadlineMs);
  });
  try {
    return await Promise.all(
      [...containersOf].map(async ([image, containers]) => ({
        image,
        containers,
        outcome: await Promise.race([judgeReference(deps, image, { dryRun: request.dryRun }), deadline]),
      })),
    );
  } finally {
    clearTimeout(timer);
  }
}

function decide(
  request: ReviewRequest,
  judged: readonly Judged[],
  mode: AdmissionMode,
  failMode: AdmissionConfig['failMode'],
): { response: Omit<AdmissionReviewResponse['response'], 'uid'>; denied: string[] } {
  const line = ({ image, containers, outcome }: Judged) =>
    `image ${image} in ${containers.join(', ')}: ${outcome.state === 'pass' ? 'pass' : outcome.why}`;
  // An `error` verdict is a scan known not to be good: it blocks whatever the fail mode, which is
  // only about images without a verdict yet.
  const blocking = judged.filter(
    ({ outcome }) =>
      outcome.state === 'fail' ||
      outcome.state === 'error' ||
      (outcome.state === 'unverified' && failMode === 'closed'),
  );
  const noted = judged.filter(({ outcome }) => outcome.state !== 'pass');
  const denied = blocking.map(line);
  const auditAnnotations = {
    mode,
    decision: blocking.length === 0 ? 'allowed' : mode === 'enforce' ? 'denied' : 'would-deny',
    images: judged.map(({ image, outcome }) => `${image}=${outcome.state}`).join(' '),
  };
  if (mode === 'dry-run') return { response: { allowed: true, auditAnnotations }, denied };
  if (mode === 'warn') {
    return {
      response: { allowed: true, warnings: noted.map((entry) => warning(line(entry))), auditAnnotations },
      denied,
    };
  }
  const warnings = noted.filter((entry) => !blocking.includes(entry)).map((entry) => warning(line(entry)));
  if (blocking.length === 0) return { response: { allowed: true, warnings, auditAnnotations }, denied };
  const unverified = blocking.some(({ outcome }) => outcome.state === 'unverified')
    ? ' (an image without a verdict is denied because admission.failMode is closed)'
    : '';
  return {
    response: {
      allowed: false,
      status: {
        code: 403,
        reason: 'Forbidden',
        message: `Customs denied ${request.kind} ${request.namespace}/${request.name}: ${denied.join('; ')}${unverified}`,
      },
      warnings,
      auditAnnotations,
    },
    denied,
  };
}

function unverifiedAnswer(
  why: string,
  mode: AdmissionMode,
  failMode: AdmissionConfig['failMode'],
): Omit<AdmissionReviewResponse['response'], 'uid'> {
  if (mode === 'enforce' && failMode === 'closed') {
    return { allowed: false, status: { code: 500, reason: 'InternalError', message: why } };
  }
  return { allowed: true, ...(mode !== 'dry-run' && { warnings: [warning(why)] }) };
}

function warning(text: string): string {
  return text.length <= WARNING_CHARS ? text : `${text.slice(0, WARNING_CHARS - 1)}…`;
}
