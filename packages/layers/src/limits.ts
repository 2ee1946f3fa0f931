import { InvalidOptionError } from '@customs/errors';
import { DEFAULT_LIMITS, type LayerLimits } from './layer-scan.js';

const limitNames = ['maxFileBytes', 'maxKeptBytes', 'maxLayerBytes', 'maxEntries'] as const;

/** The defaults with the caller's overrides; a limit that is not a positive integer is refused up front. */
export function resolveLimits(overrides: Partial<LayerLimits> = {}): Readonly<LayerLimits> {
  const limits = { ...DEFAULT_LIMITS };
  for (const name of limitNames) {
    const value = overrides[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new InvalidOptionError(`limits.${name}`, `${String(value)} is not a positive integer`);
    }
    limits[name] = value;
  }
  return Object.freeze(limits);
}
