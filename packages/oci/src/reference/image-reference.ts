import { isValidDigest } from '../digest.js';
import { InvalidReferenceError } from '../errors.js';

/** A registry image reference, normalised the way docker normalises it. */
export interface ImageReference {
  /** As users name it: `docker.io`, `ghcr.io`, `localhost:5000`, `[::1]:5000`. */
  registry: string;
  /** Full repository path, `library/` added for official Docker Hub images. */
  repository: string;
  /** `latest` when neither a tag nor a digest was written; kept alongside a digest when both were. */
  tag: string | null;
  digest: string | null;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_LEGACY = 'index.docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const MAX_NAME_LENGTH = 255;

// The grammar of github.com/distribution/reference, rewritten as anchored pieces.
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainPattern = new RegExp(
  `^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const tagPattern = /^[\w][\w.-]{0,127}$/;
const bareHexId = /^[a-f0-9]{64}$/;

/** Splits what docker would take as a registry host from the rest (`splitDockerDomain`). */
function splitRegistry(name: string): { registry: string; remainder: string } {
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  const isHost =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (!isHost) return { registry: DOCKER_HUB, remainder: name };
  return { registry: first === DOCKER_HUB_LEGACY ? DOCKER_HUB : first, remainder: name.slice(slash + 1) };
}

/**
 * Parses `debian`, `debian:bookworm`, `ghcr.io/o/r@sha256:…`, `localhost:5000/a/b:t@sha256:…` like
 * docker's ParseNormalizedNamed + TagNameOnly: Docker Hub by default, `library/` for one-component
 * names there, `latest` when nothing else was given.
 */
export function parseImageReference(text: string): ImageReference {
  if (text.length === 0) throw new InvalidReferenceError(text, 'it is empty');
  if (bareHexId.test(text)) {
    throw new InvalidReferenceError(text, 'a 64-character hex string is an image ID, not a repository name');
  }
  const at = text.indexOf('@');
  const nameAndTag = at === -1 ? text : text.slice(0, at);
  const digest = at === -1 ? null : text.slice(at + 1);
  if (digest !== null && !isValidDigest(digest)) {
    throw new InvalidReferenceError(text, `"${digest}" is not a sha256 or sha512 digest`);
  }
  const { registry, remainder } = splitRegistry(nameAndTag);
  const lastColon = remainder.lastIndexOf(':');
  const hasTag = lastColon > remainder.lastIndexOf('/');
  const tag = hasTag ? remainder.slice(lastColon + 1) : null;
  const path = hasTag ? remainder.slice(0, lastColon) : remainder;
  if (tag !== null && !tagPattern.test(tag))
    throw new InvalidReferenceError(text, `"${tag}" is not a valid tag`);
  if (!domainPattern.test(registry))
    throw new InvalidReferenceError(text, `"${registry}" is not a valid registry host`);
  if (path.toLowerCase() !== path)
    throw new InvalidReferenceError(text, 'the repository name must be lowercase');
  if (path.length === 0 || !path.split('/').every((part) => pathComponent.test(part))) {
    throw new InvalidReferenceError(text, `"${path}" is not a valid repository name`);
  }
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  if (registry.length + 1 + repository.length > MAX_NAME_LENGTH) {
    throw new InvalidReferenceError(text, `the name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return { registry, repository, tag: tag ?? (digest === null ? 'latest' : null), digest };
}

/** The fully qualified form: `docker.io/library/debian:latest`, `host:5000/a/b:t@sha256:…`. */
export function formatImageReference(reference: ImageReference): string {
  const tag = reference.tag === null ? '' : `:${reference.tag}`;
  const digest = reference.digest === null ? '' : `@${reference.digest}`;
  return `${reference.registry}/${reference.repository}${tag}${digest}`;
}

/** The host the distribution API answers on: Docker Hub's API is not at docker.io itself. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** A registry host without its port, brackets removed from IPv6 literals. */
export function registryHostname(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const colon = registry.lastIndexOf(':');
  return colon === -1 ? registry : registry.slice(0, colon);
}

/** Loopback registries speak plain HTTP, as docker assumes for them. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registryHostname(registry);
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
