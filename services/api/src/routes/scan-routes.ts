import { ScanNotFoundError } from '@customs/scans';
import type { Scan } from '@customs/store';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import type { Handlers } from '../http/typed-operations.js';
import { requestScan } from '../scans/request-scan.js';

export function scanHandlers(context: ApiContext): Pick<Handlers, 'requestScan' | 'getScan'> {
  return {
    async requestScan({ body }) {
      const { scan, duplicate } = await requestScan(context, body);
      return {
        status: 202,
        body: { scan: scanBody(scan), duplicate },
        headers: { Location: `/v1/scans/${scan.id}` },
      };
    },
    async getScan({ path }) {
      const scan = await context.deps.store.scans.get(path.id);
      if (scan === null) throw new ScanNotFoundError(path.id);
      return { status: 200, body: scanBody(scan) };
    },
  };
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
