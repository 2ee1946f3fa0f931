import { setTimeout as sleep } from 'node:timers/promises';

/** The parts of the contract's Verdict the service tests read (openapi/customs.yaml). */
export interface ApiVerdict {
  digest: string | null;
  ref: string | null;
  verdict: 'pass' | 'warn' | 'fail' | 'pending' | 'unknown' | 'error';
  reasons: Array<{
    code: string;
    severity: string | null;
    count: number;
    findings: Array<{ id: string; package: string; version: string; fixedVersion: string | null }>;
  }>;
  counts: Record<string, number>;
  scan: { id: string; status: string; error: { code: string; message: string } | null } | null;
  inventory: { indexedAt: string } | null;
}

/** The contract's Scan. */
export interface ApiScan {
  id: string;
  digest: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  trigger: string;
  attempts: number;
  error: { code: string; message: string } | null;
}

/** States a push is on its way through: the verdict is not there yet. */
const NOT_YET = new Set(['pending', 'unknown']);

/** A client of the Customs API as deploy tooling uses it: Bearer token, JSON. */
export class CustomsApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async verdict(digest: string): Promise<ApiVerdict> {
    return this.#get(`/v1/images/${digest}/verdict`);
  }

  async verdictOf(ref: string): Promise<ApiVerdict> {
    return this.#get(`/v1/verdict?ref=${encodeURIComponent(ref)}`);
  }

  async scan(id: string): Promise<ApiScan> {
    return this.#get(`/v1/scans/${id}`);
  }

  /**
   * Polls the verdict of a digest every `intervalMs` until it is neither pending nor unknown (a push
   * not yet received is unknown) and returns it with the time it took.
   */
  async waitForVerdict(
    digest: string,
    options: { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<{ verdict: ApiVerdict; waitedMs: number }> {
    const started = performance.now();
    const deadline = started + (options.timeoutMs ?? 60_000);
    let last: ApiVerdict | null = null;
    for (;;) {
      last = await this.verdict(digest);
      if (!NOT_YET.has(last.verdict)) return { verdict: last, waitedMs: performance.now() - started };
      if (performance.now() > deadline) {
        throw new Error(
          `${digest}: still ${last.verdict} after ${options.timeoutMs ?? 60_000} ms (scan: ${JSON.stringify(last.scan)})`,
        );
      }
      await sleep(options.intervalMs ?? 100);
    }
  }

  /** `POST /v1/scans`, whatever the answer: status and parsed body. */
  async requestScan(request: object): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl}/v1/scans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: await response.json() };
  }

  async #get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
