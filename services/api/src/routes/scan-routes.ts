import { ScanNotFoundError } from '@customs/scans';
import type { Scan, TokenInfo } from '@customs/store';
import type { ApiContext } from '../api-context.js';
import { parseImageReference } from '@customs/oci';
import { requireRepository } from '../auth/repository-access.js';
import { hasScope } from '../auth/token-auth.js';
import type { Schemas } from '../contract/contract-types.js';
import type { Handlers } from '../http/typed-operations.js';
import { requestScan } from '../scans/request-scan.js';

export function scanHandlers(context: ApiContext): Pick<Handlers, 'requestScan' | 'getScan'> {
  return {
    async requestScan({ body, token }) {
      const repository = 'ref' in body ? parseImageReference(body.ref).repository : body.repository;
      requireRepository(token, repository, 'the image to scan');
      const { scan, duplicate } = await requestScan(context, body);
      // Before the answer names the scan: the token may poll it even without verdicts:read.
      if (token !== null) await context.deps.store.scans.addRequester(scan.id, token.id);
      return {
        status: 202,
        body: { scan: scanBody(scan), duplicate },
        headers: { Location: `/v1/scans/${scan.id}` },
      };
    },
    async getScan({ path, token }) {
      const scan = await context.deps.store.scans.get(path.id);
      if (scan === null || !(await mayRead(context, token, scan.id))) throw new ScanNotFoundError(path.id);
      requireRepository(token, scan.repository, `scan ${scan.id}`);
      return { status: 200, body: scanBody(scan) };
    },
  };
}

/**
 * Any scan for `verdicts:read` (and admin); for a token that may only request scans, the ones it
 * requested. Another's scan is not found, rather than forbidden: its id says nothing to that token.
 */
async function mayRead(context: ApiContext, token: TokenInfo | null, scanId: string): Promise<boolean> {
  if (token === null) return false;
  return hasScope(token, 'verdicts:read') || context.deps.store.scans.requestedBy(scanId, token.id);
}

export function scanBody(scan: Scan): Schemas['Scan'] {
  return {
    id: scan.id,
    digest: scan.digest,
    registry: scan.registry,
    repository: scan.repository,
    tag: scan.tag,
    trigger: scan.trigger,
    status: scan.status,
    error: scan.error,
    attempts: scan.attempts,
    createdAt: scan.createdAt.toISOString(),
    startedAt: scan.startedAt?.toISOString() ?? null,
    finishedAt: scan.finishedAt?.toISOString() ?? null,
  };
}
