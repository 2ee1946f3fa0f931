// Webhook requests as the senders make them, built in the tests (synthetic, labelled as such): a CNCF
// Distribution envelope shaped like the real captured ones in test/fixtures/webhooks, GitHub
// `registry_package` events shaped as GitHub documents them for GHCR, Docker Hub pushes as its docs show.
import { createHmac, randomUUID } from 'node:crypto';

export interface WebhookAnswer {
  status: number;
  body: unknown;
}

/** POSTs exactly `body` (a string, so a signature over it holds) and reads the JSON answer. */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<WebhookAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body: parsed };
}

export interface PushedManifest {
  /** `host:port` the event says the registry is. */
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

/** A Distribution `push` of an OCI manifest by tag, with a fresh event id unless one is given. */
export function distributionPush(pushed: PushedManifest, id: string = randomUUID()): string {
  const { registry, repository, tag, digest } = pushed;
  return JSON.stringify({
    events: [
      {
        id,
        timestamp: new Date().toISOString(),
        action: 'push',
        target: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest,
          repository,
          url: `http://${registry}/v2/${repository}/manifests/${digest}`,
          tag,
        },
        request: { id: randomUUID(), host: registry, method: 'PUT', useragent: 'skopeo/1.9.3' },
        actor: {},
        source: { addr: registry, instanceID: randomUUID() },
      },
    ],
  });
}

/** A GitHub `registry_package` `published` event for a container image. */
export function githubPackagePublished(pushed: PushedManifest): string {
  const { registry, repository, tag, digest } = pushed;
  const [owner = '', ...name] = repository.split('/');
  return JSON.stringify({
    action: 'published',
    registry_package: {
      name: name.join('/'),
      package_type: 'CONTAINER',
      owner: { login: owner },
      package_version: {
        name: digest,
        package_url: `${registry}/${repository}:${tag}`,
        container_metadata: {
          tag: { name: tag, digest },
          manifest: { digest, media_type: 'application/vnd.oci.image.manifest.v1+json' },
        },
      },
    },
  });
}

/** The headers GitHub sends with a delivery; `signature: null` leaves X-Hub-Signature-256 out. */
export function githubHeaders(
  body: string,
  options: { secret: string | null; deliveryId: string },
): Record<string, string> {
  return {
    'x-github-event': 'registry_package',
    'x-github-delivery': options.deliveryId,
    'user-agent': 'GitHub-Hookshot/e2e',
    ...(options.secret !== null && {
      'x-hub-signature-256': `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`,
    }),
  };
}

/** A Docker Hub push (no digest: the receiver resolves the tag at the registry `repo_url` names). */
export function dockerhubPush(repoUrl: string, repository: string, tag: string): string {
  return JSON.stringify({
    push_data: { pushed_at: Math.floor(Date.now() / 1000), pusher: 'e2e', tag },
    repository: { repo_name: repository, repo_url: repoUrl, name: repository.split('/').pop() },
  });
}
