import { admitRegistry, requestRescans, requireRegistry } from '@customs/scans';
import { cachedImages } from '@customs/store';
import type { ApiContext } from '../api-context.js';
import type { Handlers } from '../http/typed-operations.js';

/** `POST /v1/rescans`: every cached image of the matching repositories onto the rescan lane. */
export function rescanHandlers(context: ApiContext): Pick<Handlers, 'requestRescans'> {
  return {
    async requestRescans({ body }) {
      const { registries } = context.deps.config;
      const only = body.registry === undefined ? null : requireRegistry(registries, body.registry);
      const matches = repositoryGlob(body.repositories);
      const targets = [];
      for (const image of await cachedImages(context.deps.store.db)) {
        if (!matches.test(image.repository)) continue;
        const admission = admitRegistry(registries, image.registry);
        // An image of a registry no longer configured cannot be pulled again.
        if (!admission.ok || (only !== null && admission.registry !== only)) continue;
        targets.push({ registry: admission.registry, repository: image.repository, digest: image.digest });
      }
      const requested = await requestRescans(
        {
          store: context.deps.store,
          queues: context.deps.queues,
          now: context.now,
          enqueueTimeoutMs: context.tuning.enqueueTimeoutMs,
        },
        targets,
      );
      for (const target of targets) context.verdicts.forget(target.digest);
      return { status: 202, body: { matched: targets.length, ...requested } };
    },
  };
}

/** `*` stays within a path segment, `**` crosses them; everything else is literal. */
export function repositoryGlob(glob: string): RegExp {
  const pattern = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${pattern}$`);
}
