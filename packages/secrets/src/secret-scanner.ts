import { createHash } from 'node:crypto';
import { LayerSecretScan } from './layer-secret-scan.js';
import { Prefilter } from './prefilter.js';
import type { SecretRule } from './rule.js';
import { defaultRules } from './rules/index.js';

/** Bump when the same layer would give other findings: cached layer results of older versions then miss. */
export const SECRET_SCANNER_VERSION = 1;

/** Text files above this are skipped and counted: secrets sit in small config and key files. */
export const DEFAULT_SECRET_MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface SecretScannerOptions {
  /** Files bigger than this are not read (counted as `tooLarge`). */
  maxFileBytes?: number;
  /** Paths (files, or directories with everything under them) never read, relative to the image root. */
  skipPaths?: readonly string[];
  rules?: readonly SecretRule[];
}

export interface SecretScanner {
  /** `secrets` plus a hash of the options that change output: the cache key's name part. */
  readonly id: string;
  readonly version: number;
  startLayer(): LayerSecretScan;
}

export function createSecretScanner(options: SecretScannerOptions = {}): SecretScanner {
  const limits = {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_SECRET_MAX_FILE_BYTES,
    skipPaths: (options.skipPaths ?? []).map((path) => path.replace(/^\/+|\/+$/g, '')),
  };
  const rules = options.rules ?? defaultRules;
  const prefilter = new Prefilter(rules);
  const settings = JSON.stringify({ ...limits, rules: rules.map((rule) => rule.id) });
  const id = `secrets-${createHash('sha256').update(settings).digest('hex').slice(0, 8)}`;
  return {
    id,
    version: SECRET_SCANNER_VERSION,
    startLayer: () => new LayerSecretScan(prefilter, limits),
  };
}
