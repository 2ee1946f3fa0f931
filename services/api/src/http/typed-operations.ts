import type { TokenInfo } from '@customs/store';
import type { Express, Request, Response } from 'express';
import type { operations } from '../../../../openapi/generated/customs.js';
import { requireScope, type TokenAuth } from '../auth/token-auth.js';
import type { Contract } from '../contract/load-contract.js';
import type { RequestValidator } from '../contract/request-validator.js';
import { RequestInvalidError } from '../errors.js';
import { readJsonBody } from './read-json-body.js';

type OperationId = keyof operations;

type PathOf<O> = O extends { parameters: { path: infer P } } ? P : Record<string, never>;
type QueryOf<O> = O extends { parameters: { query?: infer Q } }
  ? [Q] extends [never | undefined]
    ? Record<string, never>
    : NonNullable<Q>
  : Record<string, never>;
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : undefined;
type ResponsesOf<O> = O extends { responses: infer R } ? R : never;
type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : undefined;

/**
 * A JSON body serialised ahead of time (a cached verdict): sent as is. With an ETag, a request whose
 * If-None-Match names it is answered 304 without a body.
 */
export class JsonText<T> {
  declare readonly of: T;
  constructor(
    readonly text: string | Buffer,
    readonly etag: string | null = null,
  ) {}
}

/**
 * What a handler answers: one of the responses its operation declares, with that body. Errors are
 * thrown as CustomsErrors instead; a declared non-error answer such as readiness's 503 is returned.
 */
export type Reply<Id extends OperationId> = {
  [S in keyof ResponsesOf<operations[Id]>]: {
    status: S;
    body: ContentOf<ResponsesOf<operations[Id]>[S]> | JsonText<ContentOf<ResponsesOf<operations[Id]>[S]>>;
    /** For text bodies and non-JSON media types. Default application/json. */
    contentType?: string;
    headers?: Record<string, string>;
  };
}[keyof ResponsesOf<operations[Id]>];

/** What a handler gets: parameters and body already checked against the contract. */
export interface Input<Id extends OperationId> {
  path: PathOf<operations[Id]>;
  query: QueryOf<operations[Id]>;
  body: BodyOf<operations[Id]>;
  /** Null for open operations. */
  token: TokenInfo | null;
}

export type Handler<Id extends OperationId> = (input: Input<Id>) => Promise<Reply<Id>>;

/** One handler per operation of the contract: a missing one does not compile. */
export type Handlers = { [Id in OperationId]: Handler<Id> };

export interface OperationDeps {
  contract: Contract;
  validators: ReadonlyMap<string, RequestValidator>;
  auth: TokenAuth;
}

/**
 * Mounts every operation of the contract at its method and path, in the contract's order: token
 * and scope (`x-required-scope`) first, then the JSON body (only for operations that take one, and
 * only from a caller who may call it), then the request against the contract, then the handler.
 */
export function mountOperations(app: Express, handlers: Handlers, deps: OperationDeps): void {
  for (const operation of deps.contract.operations) {
    if (!isOperationId(operation.operationId, handlers)) {
      throw new Error(`the contract's operation ${operation.operationId} has no handler`);
    }
    const handler = handlers[operation.operationId];
    const validate = deps.validators.get(operation.operationId);
    if (validate === undefined) throw new Error(`no validator for ${operation.operationId}`);
    const route = operation.path.replace(/\{(\w+)\}/g, ':$1');
    app[operation.method](route, async (request: Request, response: Response) => {
      const token =
        operation.scopes === null ? null : await deps.auth.authenticate(request.headers.authorization);
      if (token !== null && operation.scopes !== null) requireScope(token, operation.scopes);
      if (operation.hasJsonBody) await readJsonBody(request, response);
      const checked = validate({ params: request.params, query: request.query, body: request.body });
      if (!checked.ok) throw new RequestInvalidError(checked.problems);
      const input = { path: checked.path, query: checked.query, body: checked.body, token };
      send(request, response, await invoke(handler, input));
    });
  }
}

/**
 * The one untyped step: which operation runs is known only at run time, so its input (just
 * validated against the very schemas its types were generated from) is handed over as that type.
 */
function invoke(handler: Handlers[OperationId], input: unknown): Promise<AnyReply> {
  return (handler as (input: unknown) => Promise<AnyReply>)(input);
}

interface AnyReply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

function send(request: Request, response: Response, reply: AnyReply): void {
  response.status(reply.status);
  if (reply.headers) response.set(reply.headers);
  if (reply.body instanceof JsonText && reply.body.etag !== null) {
    response.set('ETag', reply.body.etag);
    if (reply.status === 200 && matchesEtag(request.headers['if-none-match'], reply.body.etag)) {
      response.status(304).end();
      return;
    }
  }
  if (reply.body === undefined) {
    response.end();
    return;
  }
  const type = reply.contentType ?? 'application/json; charset=utf-8';
  const text =
    reply.body instanceof JsonText
      ? reply.body.text
      : typeof reply.body === 'string' && reply.contentType !== undefined
        ? reply.body
        : JSON.stringify(reply.body);
  response.type(type).send(text);
}

/** If-None-Match holds the ETag (or `*`); weak comparison, as RFC 9110 asks for If-None-Match. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

function isOperationId(id: string, handlers: Handlers): id is OperationId {
  return Object.hasOwn(handlers, id);
}
