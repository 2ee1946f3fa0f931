import { z } from 'zod';
import { WebhookPayloadError } from '../errors.js';
import { checkHubSignature } from '../secrets.js';
import { isDigest, nameProblem, splitImageUrl } from './image-names.js';
import { headerValue, ignored, invalid, scan, type ReceivedEvent } from './receiver.js';
import type { Receiver } from './receiver.js';

const packageVersion = z.object({
  name: z.string().optional(),
  package_url: z.string().optional(),
  container_metadata: z
    .object({
      tag: z.object({ name: z.string().optional(), digest: z.string().optional() }).optional(),
      manifest: z.object({ digest: z.string().optional(), media_type: z.string().optional() }).optional(),
    })
    .nullish(),
});
const githubPackage = z.object({
  name: z.string().optional(),
  package_type: z.string().optional(),
  owner: z.object({ login: z.string() }).optional(),
  package_version: packageVersion.optional(),
});
const packageEvent = z.object({
  action: z.string(),
  registry_package: githubPackage.optional(),
  package: githubPackage.optional(),
});

/** GitHub events that describe a package; `ping` comes when the webhook is created. */
const PACKAGE_EVENTS = new Set(['registry_package', 'package']);
const SCANNED_ACTIONS = new Set(['published', 'updated']);

/**
 * GitHub `registry_package` and `package` webhooks for GHCR: signed (X-Hub-Signature-256 over the exact
 * body), identified by X-GitHub-Delivery. Only container packages are scanned.
 */
export const githubReceiver: Receiver = {
  source: 'github',
  path: '/webhooks/github',
  activate(webhooks) {
    const settings = webhooks.github;
    if (!settings) return null;
    return {
      registry: settings.registry,
      authenticatesBy: 'body',
      authenticate: (delivery) => checkHubSignature(delivery, settings.secret),
      parse(body, delivery) {
        const deliveryId = headerValue(delivery.headers, 'x-github-delivery');
        const kind = headerValue(delivery.headers, 'x-github-event') ?? '(no X-GitHub-Event)';
        if (!PACKAGE_EVENTS.has(kind)) {
          return [ignored(`GitHub ${kind} events are not scanned`, { action: kind }, deliveryId, body)];
        }
        const parsed = packageEvent.safeParse(body);
        if (!parsed.success) throw new WebhookPayloadError('github', `not a ${kind} event`);
        return [readPackage(parsed.data, settings.registry, deliveryId, body)];
      },
    };
  },
};

function readPackage(
  payload: z.infer<typeof packageEvent>,
  configuredRegistry: string,
  deliveryId: string | null,
  raw: unknown,
): ReceivedEvent {
  const pkg = payload.registry_package ?? payload.package;
  const action = payload.action;
  if (!pkg) return invalid('neither "registry_package" nor "package" is present', deliveryId, raw);
  if (!SCANNED_ACTIONS.has(action))
    return ignored(`package ${action} events are not scanned`, { action }, deliveryId, raw);
  // Webhooks say CONTAINER, the REST API says container.
  const type = pkg.package_type ?? '(none)';
  if (type.toLowerCase() !== 'container') {
    return ignored(`package_type ${type} is not a container package`, { action }, deliveryId, raw);
  }
  const version = pkg.package_version;
  const metadata = version?.container_metadata;
  const digest = [metadata?.manifest?.digest, version?.name, metadata?.tag?.digest].find(isDigest);
  if (digest === undefined) return invalid('no sha256 digest in package_version', deliveryId, raw);
  const where = locate(pkg, configuredRegistry);
  if (where === null)
    return invalid('neither package_url nor owner and name say where the image is', deliveryId, raw);
  const tag = metadata?.tag?.name || null;
  const problem = nameProblem(where.repository, tag);
  if (problem) return invalid(problem, deliveryId, raw);
  return scan(
    { ...where, digest, tag, mediaType: metadata?.manifest?.media_type ?? null, action },
    deliveryId,
    raw,
  );
}

/**
 * `ghcr.io/Owner/name:tag` as package_url says it, else owner/name on the configured registry. GHCR
 * serves repositories under lower-cased names, whatever case the owner's login has.
 */
function locate(
  pkg: z.infer<typeof githubPackage>,
  configuredRegistry: string,
): { registry: string; repository: string } | null {
  const fromUrl = pkg.package_version?.package_url ? splitImageUrl(pkg.package_version.package_url) : null;
  if (fromUrl) return { registry: fromUrl.registry, repository: fromUrl.repository.toLowerCase() };
  if (!pkg.owner || !pkg.name) return null;
  return { registry: configuredRegistry, repository: `${pkg.owner.login}/${pkg.name}`.toLowerCase() };
}
