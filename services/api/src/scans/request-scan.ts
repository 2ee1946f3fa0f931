import { findRegistry, type RegistryConfig } from '@customs/config';
import { parseImageReference } from '@customs/oci';
import { QueueUnavailableError, type ScanImageJob } from '@customs/queue';
import type { Scan } from '@customs/store';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import { withDeadline } from '../deadline.js';
import { RegistryNotConfiguredError } from '../errors.js';

interface Target {
  registry: RegistryConfig;
  repository: string;
  digest: string;
  tag: string | null;
}

/**
 * An on-demand scan: the registry must be configured (checked before anything is asked of it), a
 * tag is resolved at the registry, and the digest's open scan is answered when there is one. A new
 * scan goes to the push queue; when that queue still holds an earlier finished job of the digest
 * (BullMQ keeps job ids for a day and ignores a new job with one), it goes to the rescan queue,
 * whose job ids are the scan's, so it runs now rather than when the reconciler next looks.
 */
export async function requestScan(
  context: ApiContext,
  request: Schemas['ScanRequest'],
): Promise<{ scan: Scan; duplicate: boolean }> {
  const target = await targetOf(context, request);
  const { store } = context.deps;
  const where = { registry: target.registry.host, repository: target.repository };
  const { scan, created } = await store.scans.openOrCreate({
    ...where,
    digest: target.digest,
    tag: target.tag,
    trigger: 'api',
  });
  const job: ScanImageJob = {
    v: 1,
    scanId: scan.id,
    ...where,
    digest: target.digest,
    tag: target.tag,
    requestedAt: context.now().toISOString(),
  };
  const queued = await enqueue(context, () => context.deps.queues.enqueueScan(job), target.digest);
  if (!queued.added && created)
    await enqueue(context, () => context.deps.queues.enqueueRescan(job), target.digest);
  if (target.tag !== null) await store.images.recordTag(where, target.tag, target.digest);
  context.verdicts.forget(target.digest);
  return { scan, duplicate: !created };
}

async function targetOf(context: ApiContext, request: Schemas['ScanRequest']): Promise<Target> {
  if ('ref' in request) {
    const reference = parseImageReference(request.ref);
    const registry = configured(context, reference.registry);
    const digest =
      reference.digest ??
      (await context.resolveTag(registry, reference.repository, reference.tag ?? 'latest'));
    return { registry, repository: reference.repository, digest, tag: reference.tag };
  }
  const registry = configured(context, request.registry);
  return { registry, repository: request.repository, digest: request.digest, tag: request.tag ?? null };
}

function configured(context: ApiContext, host: string): RegistryConfig {
  const registry = findRegistry(context.deps.config.registries, host);
  if (registry === null) throw new RegistryNotConfiguredError(host);
  return registry;
}

function enqueue(
  context: ApiContext,
  add: () => Promise<{ added: boolean }>,
  digest: string,
): Promise<{ added: boolean }> {
  const ms = context.tuning.enqueueTimeoutMs;
  return withDeadline(
    add(),
    ms,
    () => new QueueUnavailableError(`queue a scan of ${digest} within ${ms} ms`, null),
  );
}
