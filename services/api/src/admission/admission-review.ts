import type { Schemas } from '../contract/contract-types.js';
import { isObject, workloadImages, type ContainerImage } from './workload-images.js';

export type AdmissionReviewResponse = Schemas['AdmissionReviewResponse'];

/** What Customs needs of an AdmissionReview v1 request. */
export interface ReviewRequest {
  uid: string;
  /** `Deployment`, `Pod`, … (request.kind.kind). */
  kind: string;
  namespace: string;
  /** The object's name, or its generateName prefix (pods of a ReplicaSet have no name yet). */
  name: string;
  operation: string;
  /** The apiserver's dryRun flag: nothing is persisted, so nothing may be triggered either. */
  dryRun: boolean;
  /** Images to judge: on UPDATE only those the old object did not already run. */
  images: ContainerImage[];
}

export type ParsedReview =
  | { ok: true; request: ReviewRequest }
  /** Nothing to judge (a DELETE, a kind Customs does not look into): allowed with this note. */
  | { ok: 'skip'; uid: string; why: string }
  | { ok: false; uid: string | null; problem: string };

const API_VERSION = 'admission.k8s.io/v1';

/** A body that never became JSON (not JSON, too large): what the gate hands on instead of it. */
export class UnreadableReview {
  constructor(readonly problem: string) {}
}

/**
 * Reads an AdmissionReview without trusting any of it: every shape problem is a `problem` that the
 * caller answers with a well-formed deny (with the uid when one could be read), never an exception.
 */
export function parseAdmissionReview(body: unknown): ParsedReview {
  if (body instanceof UnreadableReview) return { ok: false, uid: null, problem: body.problem };
  if (!isObject(body)) return { ok: false, uid: null, problem: 'the body is not a JSON object' };
  const request = body.request;
  const uid = isObject(request) && typeof request.uid === 'string' && request.uid !== '' ? request.uid : null;
  const fail = (problem: string): ParsedReview => ({ ok: false, uid, problem });
  if (body.apiVersion !== API_VERSION || body.kind !== 'AdmissionReview') {
    return fail(
      `expected apiVersion ${API_VERSION} and kind AdmissionReview, got ${describe(body.apiVersion)} ${describe(body.kind)}`,
    );
  }
  if (!isObject(request)) return fail('request is missing');
  if (uid === null) return fail('request.uid is missing');
  const kind = isObject(request.kind) ? request.kind.kind : undefined;
  if (typeof kind !== 'string' || kind === '') return fail('request.kind.kind is missing');
  const operation = typeof request.operation === 'string' ? request.operation : '';
  if (operation !== 'CREATE' && operation !== 'UPDATE') {
    return { ok: 'skip', uid, why: `operation ${operation || '(none)'} runs no new image` };
  }
  const found = workloadImages(kind, request.object);
  if (found === null) return { ok: 'skip', uid, why: `Customs does not look into ${kind} objects` };
  if (!found.ok) return fail(`request.object: ${found.problem}`);
  const before = operation === 'UPDATE' ? workloadImages(kind, request.oldObject) : null;
  const running = new Set(before?.ok ? before.images.map((entry) => entry.image) : []);
  const metadata =
    isObject(request.object) && isObject(request.object.metadata) ? request.object.metadata : {};
  const name = [request.name, metadata.name, metadata.generateName].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  return {
    ok: true,
    request: {
      uid,
      kind,
      namespace: typeof request.namespace === 'string' ? request.namespace : '',
      name: name ?? '(unnamed)',
      operation,
      dryRun: request.dryRun === true,
      images: found.images.filter((entry) => !running.has(entry.image)),
    },
  };
}

/** The answer to a review: always AdmissionReview v1, always with the request's uid (empty when unreadable). */
export function reviewResponse(
  uid: string | null,
  response: Omit<AdmissionReviewResponse['response'], 'uid'>,
): AdmissionReviewResponse {
  return { apiVersion: API_VERSION, kind: 'AdmissionReview', response: { uid: uid ?? '', ...response } };
}

function describe(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value)
    : `(${value === undefined ? 'none' : typeof value})`;
}
