import type { ServiceConfig } from '@customs/config';
import { createIndexer, type IndexerOptions } from '@customs/indexer';
import type { ScanHandlerContext } from '@customs/queue';
import type { SbomRenderer } from '@customs/scans';
import type { Store } from '@customs/store';
import type { Logger } from 'pino';
import { createScanHandler } from '../../scan-handler.js';
import { jobFor, type ScanRequest } from './environment.js';

/** The job handler called directly, as BullMQ would call it, without Redis. */
export function directScanner(deps: {
  config: ServiceConfig;
  store: Store;
  logger: Logger;
  indexer?: Omit<IndexerOptions, 'cache'>;
  sboms?: readonly SbomRenderer[];
}) {
  const handler = createScanHandler({
    config: deps.config,
    store: deps.store,
    artifacts: deps.store.artifacts,
    indexer: createIndexer({ ...deps.indexer, cache: deps.store.layers }),
    sboms: deps.sboms ?? [],
    logger: deps.logger,
    registryClient: { retry: { maxAttempts: 1 } },
    now: Date.now,
  });
  return async (request: ScanRequest, context: Partial<ScanHandlerContext> = {}) => {
    const scan = await deps.store.scans.create({ ...request, tag: request.tag ?? null, trigger: 'api' });
    const outcome = await handler(jobFor(scan), {
      queue: 'scan',
      jobId: `direct-${scan.id}`,
      attempt: 1,
      lastAttempt: false,
      signal: new AbortController().signal,
      ...context,
    }).then(
      () => null,
      (error: unknown) => error,
    );
    return { scan: await deps.store.scans.get(scan.id), thrown: outcome };
  };
}
