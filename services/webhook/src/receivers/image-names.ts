/** The digests a scan job accepts (its schema allows sha256 only). */
const DIGEST = /^sha256:[a-f0-9]{64}$/;
// The grammar of github.com/distribution/reference: lowercase path components, docker's tag syntax.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const MAX_REPOSITORY_LENGTH = 255;

/** What a registry stores under a manifest digest that is worth scanning: images and indexes. */
const SCANNABLE_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

export function isRepositoryName(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= MAX_REPOSITORY_LENGTH &&
    value.split('/').every((part) => PATH_COMPONENT.test(part))
  );
}

export function isTag(value: string): boolean {
  return TAG.test(value);
}

export function isScannableMediaType(mediaType: string): boolean {
  return SCANNABLE_MEDIA_TYPES.has(mediaType);
}

/**
 * Why a repository or tag cannot be used, or null when both can. They end up in registry URLs, so
 * anything outside the reference grammar (`..`, `%2F`, upper case) is refused here.
 */
export function nameProblem(repository: string, tag: string | null): string | null {
  if (!isRepositoryName(repository)) return `"${repository}" is not a valid repository name`;
  if (tag !== null && !isTag(tag)) return `"${tag}" is not a valid tag`;
  return null;
}

/** `host[:port]` of a URL, or null when it is not one. */
export function urlHost(url: string): string | null {
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

/**
 * `registry.example.com/team/app:1.0@sha256:…` → its parts. The first path segment is always the
 * registry (senders that use this form, Harbor and Quay, always write it).
 */
export function splitImageUrl(
  text: string,
): { registry: string; repository: string; tag: string | null; digest: string | null } | null {
  const slash = text.indexOf('/');
  if (slash <= 0) return null;
  const registry = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const at = rest.indexOf('@');
  const name = at === -1 ? rest : rest.slice(0, at);
  const digest = at === -1 ? null : rest.slice(at + 1);
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return {
    registry,
    repository: hasTag ? name.slice(0, colon) : name,
    tag: hasTag ? name.slice(colon + 1) || null : null,
    digest,
  };
}
