import { InvalidOptionError } from '@customs/errors';
import type { Platform, PlatformSelector } from './image-source.js';

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export const DEFAULT_PLATFORM_SELECTOR: PlatformSelector = { kind: 'one', platform: DEFAULT_PLATFORM };

const architectureAliases: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  i386: '386',
  armhf: 'arm',
  armel: 'arm',
};

/** Variants implied when none is written, per architecture (containerd's platforms.Normalize). */
function normalizeVariant(architecture: string, variant: string, alias: string | undefined): string {
  if (alias === 'armhf' && variant === '') return 'v7';
  if (alias === 'armel' && variant === '') return 'v6';
  if (architecture === 'arm64' && (variant === 'v8' || variant === '8')) return '';
  if (architecture === 'arm' && variant === '') return 'v7';
  if (architecture === 'arm' && /^[5-8]$/.test(variant)) return `v${variant}`;
  if (architecture === 'amd64' && variant === 'v1') return '';
  return variant;
}

/** Lower-cased, aliases resolved, implied variants made explicit (arm → arm/v7) or dropped (arm64/v8 → arm64). */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase();
  const written = platform.architecture.toLowerCase();
  const architecture = architectureAliases[written] ?? written;
  const variant = normalizeVariant(architecture, (platform.variant ?? '').toLowerCase(), written);
  return variant === '' ? { os, architecture } : { os, architecture, variant };
}

/** `linux/arm64/v8`, `linux/amd64`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Reads `os/arch[/variant]` as users write it for --platform. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new InvalidOptionError(
      'platform',
      `"${text}" is not os/architecture[/variant]`,
      'e.g. linux/arm64 or linux/arm/v7',
    );
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** Same os, architecture and (normalised) variant. */
export function platformsEqual(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  return x.os === y.os && x.architecture === y.architecture && (x.variant ?? '') === (y.variant ?? '');
}

/**
 * Whether `candidate` may run where `wanted` was asked for, when no exact match exists: a wanted
 * platform without a variant accepts any variant of the same os/architecture, except on arm where
 * the variant is implied (v7) and must match.
 */
export function platformAccepts(wanted: Platform, candidate: Platform): boolean {
  const x = normalizePlatform(wanted);
  const y = normalizePlatform(candidate);
  if (x.os !== y.os || x.architecture !== y.architecture) return false;
  return x.variant === undefined || x.variant === y.variant;
}
