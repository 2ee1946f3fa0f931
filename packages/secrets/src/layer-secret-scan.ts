import { createHash } from 'node:crypto';
import type { LayerSecrets, SecretFinding, SecretSkips } from '@customs/model';
import type { Prefilter } from './prefilter.js';
import { scanText } from './scan-text.js';

/** The first block a NUL byte in makes a file binary (git's test). */
const BINARY_PROBE_BYTES = 8000;

/** What the walker says of an entry before reading it (the shape of @customs/layers' EntryInfo). */
export interface SecretEntryInfo {
  size: number;
  kind: 'file' | 'symlink' | 'hardlink';
}

export interface SecretScanLimits {
  maxFileBytes: number;
  skipPaths: readonly string[];
}

/** The secret scan of one layer: asked about every entry, handed every wanted file, then finished. */
export class LayerSecretScan {
  readonly #prefilter: Prefilter;
  readonly #limits: SecretScanLimits;
  readonly #findings: SecretFinding[] = [];
  readonly #pathHashes = new Set<string>();
  readonly #skipped: SecretSkips = { binary: 0, tooLarge: 0, skippedPath: 0 };
  #scannedFiles = 0;

  constructor(prefilter: Prefilter, limits: SecretScanLimits) {
    this.#prefilter = prefilter;
    this.#limits = limits;
  }

  /** True for a regular file to read; every entry is remembered (as a hash) for what it overwrites. */
  wants(path: string, info: SecretEntryInfo): boolean {
    this.#pathHashes.add(pathHash(path));
    if (info.kind !== 'file') return false;
    if (this.#limits.skipPaths.some((skip) => path === skip || path.startsWith(`${skip}/`))) {
      this.#skipped.skippedPath++;
      return false;
    }
    if (info.size > this.#limits.maxFileBytes) {
      this.#skipped.tooLarge++;
      return false;
    }
    return true;
  }

  /** Scans a file `wants` accepted; binary files are counted and passed over. */
  scan(path: string, data: Buffer): void {
    if (data.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
      this.#skipped.binary++;
      return;
    }
    this.#scannedFiles++;
    // latin1 keeps one character per byte: offsets stay byte offsets and no byte is ever invalid.
    this.#findings.push(...scanText(path, data.toString('latin1'), this.#prefilter));
  }

  finish(): LayerSecrets {
    return {
      findings: this.#findings,
      scannedFiles: this.#scannedFiles,
      skipped: this.#skipped,
      pathHashes: [...this.#pathHashes].sort(),
    };
  }
}

/**
 * 48 bits of the path's sha256: two of a layer's paths share one with odds of about n²/2^49 (1 in
 * 5 million for 10,000 files), and a clash can only mark a secret as overwritten, never hide it.
 */
export function pathHash(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 12);
}
