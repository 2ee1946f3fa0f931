import { createHash, getHashes, type Hash } from 'node:crypto';
import { LayerDiffIdMismatchError } from './errors.js';

/** The uncompressed tar's sha256 (its diffId), checked against the diffId the image config expects. */
export class TarDigest {
  readonly #sha256 = createHash('sha256');
  readonly #expected: string | null;
  /** The expected diffId's own algorithm when it is not sha256 (the OCI spec also allows sha512). */
  readonly #other: { algorithm: string; hash: Hash } | null;

  constructor(expected: string | null) {
    this.#expected = expected;
    const algorithm = expected?.split(':')[0] ?? 'sha256';
    this.#other =
      algorithm !== 'sha256' && getHashes().includes(algorithm)
        ? { algorithm, hash: createHash(algorithm) }
        : null;
  }

  update(chunk: Buffer): void {
    this.#sha256.update(chunk);
    this.#other?.hash.update(chunk);
  }

  /** The diffId; throws LAYER_DIFFID_MISMATCH when the tar is not the one the image config names. */
  finish(): string {
    const diffId = `sha256:${this.#sha256.digest('hex')}`;
    const actual = this.#other ? `${this.#other.algorithm}:${this.#other.hash.digest('hex')}` : diffId;
    if (this.#expected !== null && actual !== this.#expected) {
      throw new LayerDiffIdMismatchError(this.#expected, actual);
    }
    return diffId;
  }
}
