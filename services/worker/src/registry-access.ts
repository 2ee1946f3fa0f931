import { findRegistry, type ServiceConfig } from '@customs/config';
import {
  formatImageReference,
  openRegistryImage,
  parseImageReference,
  type ImageSource,
  type RegistryClientOptions,
} from '@customs/oci';
import type { ScanImageJob } from '@customs/queue';
import { RegistryNotConfiguredError } from './errors.js';

/** Registry client settings the operator (or a test) may tune; auth and plain-HTTP come from the config. */
export type RegistryClientTuning = Pick<
  RegistryClientOptions,
  'retry' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'userAgent'
>;

/** What a job names, as written in its payload: `registry/repository@digest`. */
export function jobImage(job: Pick<ScanImageJob, 'registry' | 'repository' | 'digest'>): string {
  return `${job.registry}/${job.repository}@${job.digest}`;
}

/**
 * Opens the job's image by digest on the registry the configuration knows by that name, with that
 * registry's credentials, looked up now (not when the job was queued: tokens and passwords change).
 * A registry missing from the configuration fails before any request is made.
 */
export function openJobImage(
  registries: ServiceConfig['registries'],
  job: ScanImageJob,
  tuning: RegistryClientTuning = {},
): ImageSource {
  const registry = findRegistry(registries, job.registry);
  if (registry === null) throw new RegistryNotConfiguredError(job.registry, jobImage(job));
  // Parsed rather than assembled, so a repository that is not a repository name fails here.
  const reference = parseImageReference(`${registry.host}/${job.repository}@${job.digest}`);
  const credentials = registry.credentials;
  return openRegistryImage(formatImageReference(reference), {
    ...tuning,
    // Asked per host by the client; only the configured registry ever gets the password.
    credentials: (host) => (credentials && host === reference.registry ? credentials : undefined),
    insecureRegistries: registry.insecure ? [registry.host] : [],
  });
}
