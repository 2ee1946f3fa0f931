import { z } from 'zod';
import { WebhookPayloadError } from '../errors.js';
import { checkPathSecret } from '../secrets.js';
import { nameProblem } from './image-names.js';
import { ignored, invalid, scan } from './receiver.js';
import type { Receiver } from './receiver.js';

const notification = z.object({
  repository: z.string(),
  docker_url: z.string().optional(),
  /** `repo_push`: a list of tags (current Quay), or tag → image id (older documentation). */
  updated_tags: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
});

/**
 * Quay `repo_push` notifications (method "webhook"): no signature and no auth header, so the secret is a
 * path segment; no digest, so each updated tag is resolved at the configured registry by us. Other
 * notifications (build_success, vulnerability_found, …) carry no updated_tags and are not scanned.
 */
export const quayReceiver: Receiver = {
  source: 'quay',
  path: '/webhooks/quay/:secret',
  activate(webhooks) {
    const settings = webhooks.quay;
    if (!settings) return null;
    return {
      registry: settings.registry,
      authenticatesBy: 'headers',
      authenticate: (delivery) => checkPathSecret(delivery, settings.pathSecret),
      parse(body) {
        const parsed = notification.safeParse(body);
        if (!parsed.success) throw new WebhookPayloadError('quay', 'no "repository" name');
        const { repository, docker_url: dockerUrl, updated_tags: updated } = parsed.data;
        // docker_url is `quay.io/namespace/repository`: its first segment is the registry.
        const registry = dockerUrl?.split('/')[0] || settings.registry;
        if (updated === undefined) {
          return [
            ignored('not a repo_push notification (no updated_tags)', { registry, repository }, null, body),
          ];
        }
        const tags = Array.isArray(updated) ? updated : Object.keys(updated);
        if (tags.length === 0)
          return [ignored('repo_push without updated tags', { registry, repository }, null, body)];
        return tags.map((tag) => {
          const problem = nameProblem(repository, tag);
          if (problem) return invalid(problem, null, body);
          return scan(
            { registry, repository, digest: null, tag, mediaType: null, action: 'repo_push' },
            null,
            body,
          );
        });
      },
    };
  },
};
