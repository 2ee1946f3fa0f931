/** A registry Customs may pull from, its credentials resolved. */
export interface RegistryConfig {
  host: string;
  aliases: readonly string[];
  insecure: boolean;
  credentials: { username: string; password: string } | null;
}

const DOCKER_HUB_NAMES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);

/**
 * The configured registry a host names, by host or alias; null for anything else. This is the SSRF
 * guard: an image is only ever pulled from a registry the operator configured, whatever a payload says.
 */
export function findRegistry(registries: readonly RegistryConfig[], host: string): RegistryConfig | null {
  const wanted = canonicalHost(host);
  return (
    registries.find((registry) =>
      [registry.host, ...registry.aliases].some((name) => canonicalHost(name) === wanted),
    ) ?? null
  );
}

/** Lower case, no scheme or path, no default port, Docker Hub's many names as one. */
export function canonicalHost(host: string): string {
  const bare =
    host
      .trim()
      .toLowerCase()
      .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
      .split('/')[0] ?? '';
  const withoutDefaultPort = bare.replace(/:443$/, '');
  return DOCKER_HUB_NAMES.has(withoutDefaultPort) ? 'docker.io' : withoutDefaultPort;
}
