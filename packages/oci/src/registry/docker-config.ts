import { InvalidInputError } from '@customs/errors';
import { normalizeRegistryKey, type Credentials } from './credentials.js';
import { isJsonObject } from '../json-object.js';

export interface DockerConfigAuths {
  /** Registry host (normalised: `docker.io`, `host:5000`) → credentials. */
  credentials: Record<string, Credentials>;
  /** Entries that could not be used (identity tokens, credential helpers, bad base64), one line each. */
  warnings: string[];
}

function readEntry(host: string, entry: unknown): Credentials | string {
  if (!isJsonObject(entry)) return `${host}: entry is not an object`;
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return `${host}: "auth" is not base64 of username:password`;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password };
  }
  if (typeof entry.identitytoken === 'string')
    return `${host}: identity tokens (OAuth refresh tokens) are not supported`;
  return `${host}: no "auth" or username/password`;
}

/**
 * Reads the `auths` map of a Docker `config.json` (what `docker login` writes). Credential helpers
 * (`credsStore`, `credHelpers`) run external programs and are not consulted; they become warnings.
 */
export function parseDockerConfig(text: string): DockerConfigAuths {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError('the Docker config is not JSON', {
      cause: error,
      hint: 'check ~/.docker/config.json',
    });
  }
  if (!isJsonObject(body)) throw new InvalidInputError('the Docker config is not a JSON object');
  const credentials: Record<string, Credentials> = {};
  const warnings: string[] = [];
  if (typeof body.credsStore === 'string') warnings.push(`credsStore "${body.credsStore}" is not consulted`);
  if (isJsonObject(body.credHelpers)) {
    for (const host of Object.keys(body.credHelpers))
      warnings.push(`${host}: credential helpers are not consulted`);
  }
  for (const [key, entry] of Object.entries(isJsonObject(body.auths) ? body.auths : {})) {
    const host = normalizeRegistryKey(key);
    const result = readEntry(host, entry);
    if (typeof result === 'string') warnings.push(result);
    else credentials[host] = result;
  }
  return { credentials, warnings };
}
