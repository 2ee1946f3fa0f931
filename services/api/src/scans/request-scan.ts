import { parseImageReference } from '@customs/oci';
import { requestScan as requestScanOf, requireRegistry, type ScanTarget } from '@customs/scans';
import type { Scan } from '@customs/store';
import type { ApiContext } from '../api-context.js';
import type { Schemas } from '../contract/contract-types.js';
import { RequestInvalidError } from '../errors.js';
import { registryHostProblem } from './registry-host.js';

/**
 * An on-demand scan (POST /v1/scans) through the scan use-case (@customs/scans): the registry must be
 * configured (checked before anything is asked of it), a tag is resolved at the registry, and the
 * digest's open scan answers when there is one. The cached verdict of the digest is dropped, so the
 * next verdict request sees the new scan.
 */
export async function requestScan(
  context: ApiContext,
  request: Schemas['ScanRequest'],
): Promise<{ scan: Scan; duplicate: boolean }> {
  const target = await targetOf(context, request);
  const { scan, created } = await requestScanOf(
    {
      store: context.deps.store,
      queues: context.deps.queues,
      now: context.now,
      enqueueTimeoutMs: context.tuning.enqueueTimeoutMs,
      dedupeWindowSeconds: context.tuning.scanDedupeWindowSeconds,
    },
    target,
  );
  context.verdicts.forget(target.digest);
  return { scan, duplicate: !created };
}

async function targetOf(context: ApiContext, request: Schemas['ScanRequest']): Promise<ScanTarget> {
  const { registries } = context.deps.config;
  if ('ref' in request) {
    const reference = parseImageReference(request.ref);
    requireRegistryHost('ref', reference.registry);
    const registry = requireRegistry(registries, reference.registry);
    const digest =
      reference.digest ??
      (await context.resolveTag(registry, reference.repository, reference.tag ?? 'latest'));
    return { registry, repository: reference.repository, digest, tag: reference.tag, trigger: 'api' };
  }
  requireRegistryHost('registry', request.registry);
  const registry = requireRegistry(registries, request.registry);
  return {
    registry,
    repository: request.repository,
    digest: request.digest,
    tag: request.tag ?? null,
    trigger: 'api',
  };
}

/** Checked before the allow-list, which would read `https://r.example/x` as `r.example`. */
function requireRegistryHost(field: string, host: string): void {
  const problem = registryHostProblem(host);
  if (problem !== null) throw new RequestInvalidError([`body.${field}: ${problem}`]);
}
