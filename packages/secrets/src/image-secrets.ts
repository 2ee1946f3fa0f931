import type { ImageSecretFinding, ImageSecrets, LayerSecrets, SecretSkips } from '@customs/model';
import { pathHash } from './layer-secret-scan.js';

/** One layer as the image stacks it, with what its walk and its secret scan found. */
export interface SecretLayer {
  digest: string;
  whiteouts: readonly string[];
  opaqueDirs: readonly string[];
  secrets: LayerSecrets;
}

/**
 * Every layer's secrets, each marked with the first later layer that deletes (whiteout, opaque
 * directory) or overwrites its file: gone from the final image, still in the earlier layer's blob.
 */
export function stackSecrets(layers: readonly SecretLayer[]): ImageSecrets {
  const hashes = layers.map((layer) => new Set(layer.secrets.pathHashes));
  const findings: ImageSecretFinding[] = layers.flatMap((layer, layerIndex) =>
    layer.secrets.findings.map((finding) => ({
      ...finding,
      layerIndex,
      layerDigest: layer.digest,
      removedInLayer: removalOf(finding.path, layerIndex, layers, hashes),
    })),
  );
  const skipped: SecretSkips = { binary: 0, tooLarge: 0, skippedPath: 0 };
  for (const { secrets } of layers) {
    skipped.binary += secrets.skipped.binary;
    skipped.tooLarge += secrets.skipped.tooLarge;
    skipped.skippedPath += secrets.skipped.skippedPath;
  }
  const scannedFiles = layers.reduce((sum, layer) => sum + layer.secrets.scannedFiles, 0);
  return { findings, scannedFiles, skipped };
}

function removalOf(
  path: string,
  index: number,
  layers: readonly SecretLayer[],
  hashes: ReadonlyArray<ReadonlySet<string>>,
): number | null {
  const hash = pathHash(path);
  const ancestors = selfAndAncestors(path);
  for (let upper = index + 1; upper < layers.length; upper++) {
    const layer = layers[upper] as SecretLayer;
    if (ancestors.some((candidate) => layer.whiteouts.includes(candidate))) return upper;
    if (layer.opaqueDirs.some((dir) => dir === '' || path.startsWith(`${dir}/`))) return upper;
    if (hashes[upper]?.has(hash)) return upper;
  }
  return null;
}

function selfAndAncestors(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, end) => parts.slice(0, end + 1).join('/'));
}
