import { randomUUID } from 'node:crypto';
import { findRegistry, type RegistryConfig } from '@customs/config';
import { parseImageReference } from '@customs/oci';
import { RegistryNotConfiguredError, requestScan } from '@customs/scans';
import type { HarborAdapterDeps } from './harbor-deps.js';
import {
  HarborArtifactUnsupportedError,
  HarborCapabilityError,
  HarborFieldInvalidError,
  HarborRequestInvalidError,
} from './harbor-errors.js';
import { withoutNullParameters, type ScanRequestCheck } from './harbor-spec.js';
import { CONSUMED_MIME_TYPES, MIME, SBOM_MEDIA_TYPES, type SbomMediaType } from './media-types.js';
import { parseRegistryAuthorization } from './registry-credential.js';
import type { HarborScanRequest } from './scan-requests.js';

/** The spec's `ScanRequest`, as its schema (checked first) allows it. */
interface ScanRequestBody {
  registry: { url?: string; authorization?: string };
  artifact: { repository?: string; digest?: string; tag?: string; mime_type?: string };
  enabled_capabilities?: Array<{
    type: 'vulnerability' | 'sbom';
    produces_mime_types?: string[];
    parameters?: { sbom_media_types?: SbomMediaType[] } | null;
  }>;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const VULNERABILITY_TYPES: readonly string[] = [MIME.vulnerabilityReport, MIME.harborVulnerabilityReport];

/**
 * POST /api/v1/scan: checks the request against the spec, admits its registry, and hands the scan to
 * the scan use-case (@customs/scans), which queues it; nothing is pulled here. The robot credential
 * goes to Redis for the worker and nowhere else. Answers the new scan request id.
 */
export async function acceptScan(
  deps: HarborAdapterDeps,
  check: (body: unknown) => ScanRequestCheck,
  body: unknown,
): Promise<{ id: string }> {
  const checked = check(body);
  if (!checked.ok) {
    throw checked.wrongType
      ? new HarborRequestInvalidError(checked.problems)
      : new HarborFieldInvalidError(checked.problems.join('; '));
  }
  const request = withoutNullParameters(body) as ScanRequestBody;
  const registry = admittedRegistry(deps, request.registry.url);
  const { repository, digest, tag, mime_type: mimeType } = request.artifact;
  if (!repository) throw new HarborFieldInvalidError('artifact.repository is required');
  if (!digest || !DIGEST.test(digest)) {
    throw new HarborFieldInvalidError('artifact.digest must be a sha256 digest (sha256:<64 hex>)');
  }
  // Parsed as a reference, so a repository the worker could not pull is refused now.
  parseImageReference(`${registry.host}/${repository}@${digest}`);
  if (mimeType !== undefined && !CONSUMED_MIME_TYPES.includes(mimeType)) {
    throw new HarborArtifactUnsupportedError(mimeType);
  }
  const wanted = wantedReports(request.enabled_capabilities);
  const credential = parseRegistryAuthorization(request.registry.authorization);
  const { scan } = await requestScan(
    {
      store: deps.store,
      queues: deps.queues,
      now: deps.now,
      enqueueTimeoutMs: deps.redisTimeoutMs,
      dedupeWindowSeconds: 0,
      credentials: { store: deps.credentials, ttlSeconds: deps.harbor.credentialTtlSeconds },
    },
    {
      registry,
      repository,
      digest,
      tag: tag || null,
      trigger: 'api',
      ...(credential && { credential }),
    },
  );
  const id = randomUUID();
  const artifact: HarborScanRequest['artifact'] = {
    repository,
    digest,
    ...(tag && { tag }),
    ...(mimeType && { mime_type: mimeType }),
  };
  await deps.requests.put(id, { scanId: scan.id, artifact, ...wanted });
  return { id };
}

/**
 * The registry of `registry.url`, if the operator configured it and listed it in `harbor.registries`:
 * a Harbor token can make Customs pull from Harbor's registries only.
 */
function admittedRegistry(deps: HarborAdapterDeps, url: string | undefined): RegistryConfig {
  if (!url) throw new HarborFieldInvalidError('registry.url is required');
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    throw new HarborFieldInvalidError(`registry.url ${url} is not a URL`);
  }
  const registry = findRegistry(deps.registries, host);
  const allowed = deps.harbor.registries.some((name) => findRegistry(deps.registries, name) === registry);
  if (registry === null || !allowed || host === '') throw new RegistryNotConfiguredError(host || url);
  return registry;
}

/**
 * What the request enables; without `enabled_capabilities`, everything Customs produces (the spec's
 * backward compatibility). A capability asked for in a form Customs does not produce: 501.
 */
function wantedReports(
  capabilities: ScanRequestBody['enabled_capabilities'],
): Pick<HarborScanRequest, 'vulnerability' | 'sbomMediaTypes'> {
  if (capabilities === undefined) return { vulnerability: true, sbomMediaTypes: [...SBOM_MEDIA_TYPES] };
  let vulnerability = false;
  const sbomMediaTypes = new Set<SbomMediaType>();
  for (const capability of capabilities) {
    const produces = capability.produces_mime_types;
    if (capability.type === 'vulnerability') {
      if (produces && !produces.some((type) => VULNERABILITY_TYPES.includes(type))) {
        throw new HarborCapabilityError(`vulnerability reports as ${produces.join(', ')}`);
      }
      vulnerability = true;
    } else {
      if (produces && !produces.includes(MIME.sbomReport)) {
        throw new HarborCapabilityError(`SBOM reports as ${produces.join(', ')}`);
      }
      for (const type of capability.parameters?.sbom_media_types ?? SBOM_MEDIA_TYPES)
        sbomMediaTypes.add(type);
    }
  }
  return { vulnerability, sbomMediaTypes: [...sbomMediaTypes] };
}
