import type { RatedSeverity } from './severity.js';

/**
 * A credential found in one file of one layer. `match` is redacted (its first characters and `****`):
 * the secret itself never leaves the scanner, so no report, log, database row or SBOM can carry it.
 */
export interface SecretFinding {
  ruleId: string;
  severity: RatedSeverity;
  title: string;
  /** Relative to the image root, no leading slash. */
  path: string;
  /** 1-based line of the match's start. */
  line: number;
  match: string;
}

/** Files of a layer the secret scanner did not read, by reason. */
export interface SecretSkips {
  binary: number;
  tooLarge: number;
  skippedPath: number;
}

/** What the secret scanner made of one layer: cached per layer with the scanner's version. */
export interface LayerSecrets {
  findings: SecretFinding[];
  /** Regular files read (whether or not they held anything). */
  scannedFiles: number;
  skipped: SecretSkips;
  /**
   * A short hash of the path of every regular file in the layer, sorted: enough to tell that a later
   * layer overwrote a lower layer's file without keeping every path of every layer.
   */
  pathHashes: string[];
}

/** A secret as the image shows it: which layer holds it and whether a later layer hides it. */
export interface ImageSecretFinding extends SecretFinding {
  layerIndex: number;
  layerDigest: string;
  /**
   * The layer (0-based index) that deletes or overwrites the file, or null when the final image still
   * shows it. Either way the secret can still be extracted from layer `layerIndex`'s blob.
   */
  removedInLayer: number | null;
}

/** The secret scan of a whole image. */
export interface ImageSecrets {
  findings: ImageSecretFinding[];
  scannedFiles: number;
  skipped: SecretSkips;
}
