// Reads referrers and checks DSSE signatures without any Customs code: fetch against the registry's
// distribution API, the PAE written from the DSSE protocol, openssl for the signature.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked, runProgram } from './program.js';

export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface Envelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

export type KeyKind = 'ec' | 'ed25519';

/** One repository of a registry, spoken to with fetch and HTTP Basic. */
export class PlainRepository {
  constructor(
    private readonly host: string,
    private readonly repository: string,
    private readonly credentials: { username: string; password: string },
  ) {}

  get(path: string, accept?: string): Promise<Response> {
    const { username, password } = this.credentials;
    return fetch(`http://${this.host}/v2/${this.repository}/${path}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        ...(accept && { accept }),
      },
    });
  }

  async json<T>(path: string, accept?: string): Promise<T> {
    const response = await this.get(path, accept);
    assert.equal(response.status, 200, `GET ${path}`);
    return (await response.json()) as T;
  }

  /** The referrers of `digest` as the fallback tag lists them, after checking there is no referrers API. */
  async fallbackReferrers(digest: string): Promise<Descriptor[]> {
    const api = await this.get(`referrers/${digest}`, INDEX);
    assert.equal(api.status, 404, 'this registry has no referrers API: the fallback tag is what lists them');
    const index = await this.json<{ mediaType: string; manifests: Descriptor[] }>(
      `manifests/sha256-${digest.slice('sha256:'.length)}`,
      INDEX,
    );
    assert.equal(index.mediaType, INDEX);
    return index.manifests;
  }

  /** The one layer of a referrer, after checking that its manifest's subject is `subject`. */
  async referrerLayer(descriptor: Descriptor, subject: string): Promise<Buffer> {
    const manifest = await this.json<{
      artifactType: string;
      subject: Descriptor;
      config: Descriptor;
      layers: Descriptor[];
    }>(`manifests/${descriptor.digest}`, MANIFEST);
    assert.equal(manifest.subject.digest, subject);
    assert.equal(manifest.artifactType, descriptor.artifactType);
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.equal(manifest.layers.length, 1);
    const blob = await this.get(`blobs/${manifest.layers[0]?.digest}`);
    assert.equal(blob.status, 200);
    return Buffer.from(await blob.arrayBuffer());
  }
}

/** DSSE v1's pre-authentication encoding, written here from the protocol, not imported. */
export function dssePae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType);
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

/** An openssl key pair in `dir`: `<kind>.pem` (private) and `<kind>.pub.pem`. */
export async function opensslKeyPair(
  dir: string,
  kind: KeyKind,
): Promise<{ key: string; publicKey: string }> {
  const key = join(dir, `${kind}.pem`);
  const publicKey = join(dir, `${kind}.pub.pem`);
  const genpkey =
    kind === 'ec'
      ? ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]
      : ['genpkey', '-algorithm', 'ed25519', '-out', key];
  await runChecked('openssl', genpkey);
  await runChecked('openssl', ['pkey', '-in', key, '-pubout', '-out', publicKey]);
  return { key, publicKey };
}

/** Whether openssl accepts `signature` over `data` with the public key (ECDSA P-256/SHA-256 or Ed25519). */
export async function opensslVerifies(
  dir: string,
  kind: KeyKind,
  publicKey: string,
  data: Buffer,
  signature: Buffer,
): Promise<boolean> {
  const dataFile = join(dir, `${kind}.pae.bin`);
  const signatureFile = join(dir, `${kind}.sig.bin`);
  await writeFile(dataFile, data);
  await writeFile(signatureFile, signature);
  const args =
    kind === 'ec'
      ? ['dgst', '-sha256', '-verify', publicKey, '-signature', signatureFile, dataFile]
      : [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          publicKey,
          '-rawin',
          '-in',
          dataFile,
          '-sigfile',
          signatureFile,
        ];
  return (await runProgram('openssl', args)).code === 0;
}

/** The base64 lines of a PEM private key: what must never show up anywhere. */
export function keyLines(privatePem: string): string[] {
  return privatePem.split('\n').filter((line) => line.length > 16 && !line.startsWith('-----'));
}
