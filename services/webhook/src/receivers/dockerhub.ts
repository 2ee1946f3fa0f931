import { z } from 'zod';
import { WebhookPayloadError } from '../errors.js';
import { checkPathSecret } from '../secrets.js';
import { nameProblem, urlHost } from './image-names.js';
import { invalid, scan } from './receiver.js';
import type { Receiver } from './receiver.js';

const push = z.object({
  push_data: z.object({ tag: z.string().optional() }),
  repository: z.object({ repo_name: z.string(), repo_url: z.string().optional() }),
  callback_url: z.string().optional(),
});

/**
 * Docker Hub: no signature, no headers, no digest. The secret is a path segment of the URL given to
 * Docker Hub, and the pushed tag is resolved to a digest at the configured registry by us.
 */
export const dockerhubReceiver: Receiver = {
  source: 'dockerhub',
  path: '/webhooks/dockerhub/:secret',
  activate(webhooks) {
    const settings = webhooks.dockerhub;
    if (!settings) return null;
    return {
      registry: settings.registry,
      authenticatesBy: 'headers',
      authenticate: (delivery) => checkPathSecret(delivery, settings.pathSecret),
      parse(body) {
        const parsed = push.safeParse(body);
        if (!parsed.success) throw new WebhookPayloadError('dockerhub', 'no "push_data" and "repository"');
        const { push_data: pushData, repository } = parsed.data;
        const payload = withoutCallbackUrl(body);
        const tag = pushData.tag ?? null;
        if (!tag) return [invalid('push_data.tag is missing', null, payload)];
        // Official images are `library/<name>` in the registry API; Docker Hub's payload says `<name>`.
        const name = repository.repo_name.includes('/')
          ? repository.repo_name
          : `library/${repository.repo_name}`;
        const problem = nameProblem(name, tag);
        if (problem) return [invalid(problem, null, payload)];
        const registry = (repository.repo_url && urlHost(repository.repo_url)) || settings.registry;
        return [
          scan(
            { registry, repository: name, digest: null, tag, mediaType: null, action: 'push' },
            null,
            payload,
          ),
        ];
      },
    };
  },
};

/** The callback URL lets anyone holding it post a build status to Docker Hub: it is never stored. */
function withoutCallbackUrl(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('callback_url' in body)) return body;
  return { ...body, callback_url: '[redacted]' };
}
