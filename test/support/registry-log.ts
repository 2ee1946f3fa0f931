import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request from the registry's access log (gorilla's combined log format). */
export interface LoggedRequest {
  method: string;
  /** Path and query as requested, e.g. `/v2/e2e/app/blobs/sha256:...`. */
  uri: string;
  status: number;
  userAgent: string;
}

// 127.0.0.1 - - [25/Nov/2026:01:39:03 +0000] "GET /v2/e2e/app/blobs/sha256:ab.. HTTP/1.1" 200 875543 "" "skopeo/1.9.3"
const ACCESS_LINE = /^\S+ \S+ \S+ \[[^\]]*\] "([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) \S+ "[^"]*" "([^"]*)"$/;
const BLOB_PATH = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/;
const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/?]+)$/;

export function parseAccessLog(text: string): LoggedRequest[] {
  const requests: LoggedRequest[] = [];
  for (const line of text.split('\n')) {
    const match = ACCESS_LINE.exec(line);
    if (!match) continue; // the registry's own logrus lines share the file
    const [, method = '', uri = '', status = '0', userAgent = ''] = match;
    requests.push({ method, uri, status: Number(status), userAgent });
  }
  return requests;
}

/** Successful (2xx/3xx) GETs of blobs, counted per digest: what "each layer fetched once" is about. */
export function countBlobGets(requests: readonly LoggedRequest[]): Map<string, number> {
  return countGets(requests, BLOB_PATH);
}

/** Successful GETs of manifests, counted per reference (tag or digest). */
export function countManifestGets(requests: readonly LoggedRequest[]): Map<string, number> {
  return countGets(requests, MANIFEST_PATH);
}

function countGets(requests: readonly LoggedRequest[], path: RegExp): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    if (request.method !== 'GET' || request.status >= 400) continue;
    const reference = path.exec(request.uri.split('?')[0] ?? '')?.[2];
    if (reference !== undefined) counts.set(reference, (counts.get(reference) ?? 0) + 1);
  }
  return counts;
}

/**
 * Reads the log once it has stopped growing: the registry writes an access line just after the response
 * ends, so a client that has just finished may be a few milliseconds ahead of the log.
 */
export async function readSettledLog(logFile: string, quietMs = 150): Promise<string> {
  let size = -1;
  for (;;) {
    const now = (await stat(logFile)).size;
    if (now === size) return readFile(logFile, 'utf8');
    size = now;
    await sleep(quietMs);
  }
}
