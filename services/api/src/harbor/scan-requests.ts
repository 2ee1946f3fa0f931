import { QueueUnavailableError } from '@customs/queue';
import { withDeadline } from '../deadline.js';
import { SBOM_MEDIA_TYPES, type SbomMediaType } from './media-types.js';

/**
 * What Harbor asked for under one scan request id: the Customs scan that answers it, the artifact as
 * Harbor named it (reports echo it), and the reports it enabled. Never the credential.
 */
export interface HarborScanRequest {
  scanId: string;
  artifact: { repository: string; digest: string; tag?: string; mime_type?: string };
  /** Whether the vulnerability report was asked for. */
  vulnerability: boolean;
  /** The SBOM formats asked for; empty when no SBOM was. */
  sbomMediaTypes: SbomMediaType[];
}

/** Harbor's scan request ids, in Redis under a TTL: an id answers reports for that long. */
export interface HarborScanRequests {
  put(id: string, request: HarborScanRequest): Promise<void>;
  get(id: string): Promise<HarborScanRequest | null>;
}

/** The two commands used, as ioredis spells them (the API's BullMQ connection). */
export interface RecordCommands {
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

const PREFIX = 'customs:harbor:scan-request:';

/**
 * Each call under `timeoutMs`: commands on a BullMQ connection wait for a reconnect, and Harbor gives
 * up on an answer after 5 s.
 */
export function createHarborScanRequests(
  redis: RecordCommands,
  options: { ttlSeconds: number; timeoutMs: number },
): HarborScanRequests {
  const within = <T>(work: Promise<T>, what: string) =>
    withDeadline(work, options.timeoutMs, () => new QueueUnavailableError(what, null));
  return {
    async put(id, request) {
      const value = JSON.stringify(request);
      await within(
        redis.set(PREFIX + id, value, 'EX', options.ttlSeconds),
        `record Harbor scan request ${id}`,
      );
    },
    async get(id) {
      const text = await within(redis.get(PREFIX + id), `read Harbor scan request ${id}`);
      return text === null ? null : asScanRequest(parseJson(text));
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The record as this module wrote it, or null for anything else under the key. */
function asScanRequest(value: unknown): HarborScanRequest | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<Record<keyof HarborScanRequest, unknown>>;
  const artifact = candidate.artifact as Partial<Record<string, unknown>> | null | undefined;
  const types = candidate.sbomMediaTypes;
  const valid =
    typeof candidate.scanId === 'string' &&
    typeof candidate.vulnerability === 'boolean' &&
    typeof artifact === 'object' &&
    artifact !== null &&
    typeof artifact.repository === 'string' &&
    typeof artifact.digest === 'string' &&
    Array.isArray(types) &&
    types.every((type) => SBOM_MEDIA_TYPES.some((known) => known === type));
  return valid ? (value as HarborScanRequest) : null;
}
