import { DOCKER_HUB } from '../reference/image-reference.js';

export interface Credentials {
  username: string;
  password: string;
}

/** Per registry host (as users write it: `docker.io`, `localhost:5000`), or a function asked per host. */
export type CredentialsSource =
  | Readonly<Record<string, Credentials>>
  | ((registry: string) => Credentials | undefined | Promise<Credentials | undefined>);

const dockerHubAliases = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/**
 * `https://index.docker.io/v1/` → `docker.io`, `HTTP://Host:5000/path` → `host:5000`: the keys people
 * and `docker login` write, reduced to the host form references use.
 */
export function normalizeRegistryKey(key: string): string {
  const host =
    key
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .split('/')[0]
      ?.toLowerCase() ?? '';
  return dockerHubAliases.has(host) ? DOCKER_HUB : host;
}

export async function credentialsFor(
  source: CredentialsSource | undefined,
  registry: string,
): Promise<Credentials | undefined> {
  if (source === undefined) return undefined;
  if (typeof source === 'function') return source(registry);
  const wanted = normalizeRegistryKey(registry);
  const key = Object.keys(source).find((candidate) => normalizeRegistryKey(candidate) === wanted);
  return key === undefined ? undefined : source[key];
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}
