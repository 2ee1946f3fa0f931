import type { Redis } from 'ioredis';
import { z } from 'zod';
import { QueueUnavailableError } from './errors.js';

/**
 * A registry credential that came with one scan request (Harbor's per-scan robot account), for the
 * worker that pulls the image of that scan and for nothing else.
 */
export interface ScanCredential {
  username: string;
  password: string;
}

/** Which pull a credential is for: the scan, and the registry host and repository it was given for. */
export interface ScanCredentialKey {
  scanId: string;
  registry: string;
  repository: string;
}

/**
 * Per-scan credentials, kept only in Redis under a TTL: never in a job's data (BullMQ keeps that, and
 * dead letters copy it into PostgreSQL), never in the scan row. Keyed by scan, registry and repository,
 * so two requests that share a scan of one digest never pull one repository with another's robot.
 */
export interface ScanCredentialStore {
  put(key: ScanCredentialKey, credential: ScanCredential, ttlSeconds: number): Promise<void>;
  get(key: ScanCredentialKey): Promise<ScanCredential | null>;
  /** Once the scan is done the credential has no further use. */
  forget(key: ScanCredentialKey): Promise<void>;
}

const PREFIX = 'customs:scan-credential:';
const stored = z.object({ username: z.string(), password: z.string() }).strict();

function redisKey(key: ScanCredentialKey): string {
  return `${PREFIX}${key.scanId}:${key.registry}/${key.repository}`;
}

/** Commands wait for a reconnect on a BullMQ connection: a caller that waits puts its own deadline on them. */
export function createScanCredentialStore(
  connection: Pick<Redis, 'set' | 'get' | 'del'>,
): ScanCredentialStore {
  return {
    async put(key, credential, ttlSeconds) {
      const value = JSON.stringify({ username: credential.username, password: credential.password });
      try {
        await connection.set(redisKey(key), value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
      } catch {
        // ioredis errors carry the command's arguments, the password among them: never pass one on
        // to a caller that logs it.
        throw new QueueUnavailableError(`keep the registry credential of scan ${key.scanId}`, null);
      }
    },
    async get(key) {
      const text = await connection.get(redisKey(key));
      if (text === null) return null;
      const parsed = stored.safeParse(safeJson(text));
      // Something else wrote the key: a pull without it fails with the registry's own answer.
      return parsed.success ? parsed.data : null;
    },
    async forget(key) {
      await connection.del(redisKey(key));
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
