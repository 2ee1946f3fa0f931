// Harbor's side of the pluggable scanner API (spec v1.2), as Harbor's own client calls it: a bearer
// token, the spec's MIME types in Accept and Content-Type, no redirects followed, a 302 read as "not
// ready, ask again after Refresh-After seconds". Every answer is checked against the spec document
// itself (the copy in openapi/third-party/harbor/): a declared status, a declared media type, a body of
// that media type's schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { REPO_ROOT } from './e2e-environment.js';

// The repository root resolves ajv 6 (eslint's); the API's ajv 8 and ajv-formats are what OpenAPI
// validation needs, loaded from where the API installs them.
interface ValidateFunction {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}
interface AjvInstance {
  addSchema(schema: object, key: string): unknown;
  compile(schema: object): ValidateFunction;
}
const fromApi = createRequire(join(REPO_ROOT, 'services/api/package.json'));
const { Ajv } = fromApi('ajv') as { Ajv: new (options: object) => AjvInstance };
const addFormats = fromApi('ajv-formats') as (ajv: AjvInstance) => void;

export const HARBOR_SPEC_FILE = join(
  REPO_ROOT,
  'openapi/third-party/harbor/scanner-adapter-openapi-v1.2.yaml',
);

type Json = Record<string, unknown>;

/** The spec document, parsed. */
export const harborSpec: Json = parse(readFileSync(HARBOR_SPEC_FILE, 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(harborSpec, 'harbor');
const validators = new Map<string, ValidateFunction>();

const OPERATIONS = {
  GetMetadata: ['/metadata', 'get'],
  AcceptScanRequest: ['/scan', 'post'],
  GetScanReport: ['/scan/{scan_request_id}/report', 'get'],
} as const;
export type HarborOperation = keyof typeof OPERATIONS;

export interface HarborAnswer {
  status: number;
  contentType: string | null;
  headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
}

/** The value under a JSON pointer of the spec (`#/components/schemas/Artifact/properties/tag/example`). */
export function specValue(pointer: string): unknown {
  let value: unknown = harborSpec;
  for (const segment of pointer.replace(/^#\//, '').split('/')) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    value = typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
  }
  return value;
}

/**
 * Asserts the answer is one the spec declares for the operation: its status is listed, and when the
 * spec gives that status content, the Content-Type is one of its media types exactly and the body
 * validates against that media type's schema; when it gives none, there is no body.
 */
export function assertSpecAnswer(operation: HarborOperation, answer: HarborAnswer): void {
  const [path, method] = OPERATIONS[operation];
  const base = `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${answer.status}`;
  const response = specValue(base);
  assert.ok(
    response,
    `${operation}: the spec declares no ${answer.status} answer (${JSON.stringify(answer.body)})`,
  );
  const content = specValue(`${base}/content`) as Json | undefined;
  if (content === undefined) {
    assert.equal(answer.body, null, `${operation} ${answer.status} has a body the spec does not declare`);
    return;
  }
  const mediaType = answer.contentType ?? '';
  assert.ok(
    Object.hasOwn(content, mediaType),
    `${operation} ${answer.status}: Content-Type "${mediaType}" is not one of ${Object.keys(content).join(' | ')}`,
  );
  const key = `harbor${base}/content/${mediaType.replaceAll('~', '~0').replaceAll('/', '~1')}/schema`;
  const validate = validators.get(key) ?? ajv.compile({ $ref: key });
  validators.set(key, validate);
  assert.ok(
    validate(answer.body),
    `${operation} ${answer.status} body: ${JSON.stringify(validate.errors?.slice(0, 5))}`,
  );
}

export class HarborClient {
  /** Every answer so far, each already checked against the spec. */
  readonly answers: Array<{ operation: HarborOperation; answer: HarborAnswer }> = [];

  /** `baseUrl` ends in /api/v1, as the scanner's registration in Harbor names it. */
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  metadata(): Promise<HarborAnswer> {
    return this.#call('GetMetadata', '/metadata', {
      headers: { Accept: 'application/vnd.scanner.adapter.metadata+json; version=1.1' },
    });
  }

  scan(request: unknown, contentType = 'application/vnd.scanner.adapter.scan.request+json; version=1.1') {
    return this.#call('AcceptScanRequest', '/scan', {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        Accept: 'application/vnd.scanner.adapter.scan.response+json; version=1.0',
      },
      body: typeof request === 'string' ? request : JSON.stringify(request),
    });
  }

  report(id: string, accept: string, sbomMediaType?: string): Promise<HarborAnswer> {
    const query = sbomMediaType === undefined ? '' : `?sbom_media_type=${encodeURIComponent(sbomMediaType)}`;
    return this.#call('GetScanReport', `/scan/${encodeURIComponent(id)}/report${query}`, {
      headers: { Accept: accept },
    });
  }

  /**
   * Polls as Harbor does until the answer is not 302, waiting Refresh-After seconds between calls
   * (bounded by `maxPolls`). Returns the final answer and the 302s seen before it.
   */
  async pollReport(
    id: string,
    accept: string,
    options: { sbomMediaType?: string; maxPolls: number },
  ): Promise<{ final: HarborAnswer; notReady: HarborAnswer[] }> {
    const notReady: HarborAnswer[] = [];
    for (let poll = 0; poll < options.maxPolls; poll++) {
      const answer = await this.report(id, accept, options.sbomMediaType);
      if (answer.status !== 302) return { final: answer, notReady };
      notReady.push(answer);
      const refreshAfter = Number(answer.headers.get('refresh-after'));
      assert.ok(Number.isInteger(refreshAfter) && refreshAfter > 0 && refreshAfter < 128, 'Refresh-After');
      await sleep(refreshAfter * 1000);
    }
    throw new Error(`report ${id} was not ready after ${options.maxPolls} polls`);
  }

  async #call(
    operation: HarborOperation,
    path: string,
    init: RequestInit & { headers: Json },
  ): Promise<HarborAnswer> {
    const headers = {
      ...init.headers,
      ...(this.token !== null && { Authorization: `Bearer ${this.token}` }),
    };
    // Harbor's client gives up after 5 s and never follows a redirect.
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: headers as Record<string, string>,
      redirect: 'manual',
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    const answer: HarborAnswer = {
      status: response.status,
      contentType: response.headers.get('content-type'),
      headers: response.headers,
      body: text === '' ? null : JSON.parse(text),
    };
    assertSpecAnswer(operation, answer);
    this.answers.push({ operation, answer });
    return answer;
  }
}
