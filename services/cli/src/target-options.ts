import { isCustomsError } from '@customs/errors';
import type { PlatformSelector } from '@customs/oci';
// The platform parser alone: `@customs/oci` itself loads the registry client, which `--help` never needs.
import { DEFAULT_PLATFORM_SELECTOR, parsePlatform as parsePlatformText } from '@customs/oci/platform';
import { UsageError } from './io.js';

export interface Credentials {
  username: string;
  password: string;
}

/** Options every command that reads an image takes (inventory, scan). */
export const TARGET_OPTIONS = {
  platform: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
} as const;

/** `linux/arm64`, `linux/arm/v7`, or `all`; absent means linux/amd64 (what a runtime would pull on x86-64). */
export function parsePlatform(value: string | undefined): PlatformSelector {
  if (value === undefined) return DEFAULT_PLATFORM_SELECTOR;
  if (value === 'all') return { kind: 'all' };
  try {
    return { kind: 'one', platform: parsePlatformText(value) };
  } catch (error) {
    if (isCustomsError(error))
      throw new UsageError(`--platform ${error.message.replace(/^invalid option platform: /, '')}, or "all"`);
    throw error;
  }
}

/**
 * --username/--password, or CUSTOMS_REGISTRY_AUTH=user:password (kept out of shell history and ps).
 * Both flags or neither: half a credential is a mistake worth stopping for.
 */
export function parseCredentials(
  values: { username?: string | undefined; password?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Credentials | null {
  if (values.username !== undefined || values.password !== undefined) {
    if (values.username === undefined || values.password === undefined) {
      throw new UsageError('--username and --password go together');
    }
    return { username: values.username, password: values.password };
  }
  const fromEnv = env.CUSTOMS_REGISTRY_AUTH;
  if (fromEnv === undefined || fromEnv === '') return null;
  const colon = fromEnv.indexOf(':');
  if (colon <= 0) throw new UsageError('CUSTOMS_REGISTRY_AUTH must be user:password');
  return { username: fromEnv.slice(0, colon), password: fromEnv.slice(colon + 1) };
}

export function parseFormat<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const format = allowed.find((candidate) => candidate === value);
  if (!format) throw new UsageError(`--format "${value}" is not one of ${allowed.join(', ')}`);
  return format;
}
