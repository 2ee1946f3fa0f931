// `customs scan --attest` end to end (issue 10, done-means 4): the real app image in a real registry
// (Debian's docker-registry, which has no referrers API), the SBOM and a signed vulnerability
// attestation pushed back as referrers, then found again through the sha256-<hex> fallback tag with
// plain HTTP requests, and the DSSE signature checked by openssl over a PAE this file builds itself.
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';
import { runChecked, runProgram } from '../support/program.js';
import { pushImage } from '../support/skopeo.js';
import { useRegistry } from '../support/use-registry.js';

const e2e = e2eEnvironment();

const DSSE = 'application/vnd.dsse.envelope.v1+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}
interface Envelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

describe('customs scan --attest <registry image>', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const registry = useRegistry({ auth: 'basic' });
  const ref = () => `${registry().host}/e2e/app:1.0`;
  let dir = '';
  let dbDir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'customs-e2e-attest-'));
    dbDir = join(dir, 'db');
    const imported = await runCustoms(['db', 'import', OSV_FIXTURES, '--db-dir', dbDir]);
    assert.equal(imported.code, 0, imported.stderr);
    await pushImage(images.layout, 'app', ref(), { creds: credentials() });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function credentials(): { username: string; password: string } {
    return { username: registry().username ?? '', password: registry().password ?? '' };
  }

  /** A GET against the registry with nothing of Customs in between: fetch and Basic auth. */
  async function get(path: string, accept?: string): Promise<Response> {
    const { username, password } = credentials();
    return fetch(`http://${registry().host}/v2/e2e/app/${path}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        ...(accept && { accept }),
      },
    });
  }

  async function getJson<T>(path: string, accept?: string): Promise<T> {
    const response = await get(path, accept);
    assert.equal(response.status, 200, `GET ${path}`);
    return (await response.json()) as T;
  }

  /** Generates a key with openssl, scans with --attest, and returns what the command printed. */
  async function scanAndAttest(kind: 'ec' | 'ed25519', keyVia: 'file' | 'env') {
    const key = join(dir, `${kind}.pem`);
    const genpkey =
      kind === 'ec'
        ? ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]
        : ['genpkey', '-algorithm', 'ed25519', '-out', key];
    await runChecked('openssl', genpkey);
    const publicKey = join(dir, `${kind}.pub.pem`);
    await runChecked('openssl', ['pkey', '-in', key, '-pubout', '-out', publicKey]);
    const privatePem = await readFile(key, 'utf8');
    const { username, password } = credentials();
    const args = ['scan', ref(), '--format', 'json', '--db-dir', dbDir, '--skip-db-update', '--attest'];
    const result = await runCustoms(keyVia === 'file' ? [...args, '--signing-key', key] : args, {
      env: {
        CUSTOMS_REGISTRY_AUTH: `${username}:${password}`,
        ...(keyVia === 'env' && { CUSTOMS_SIGNING_KEY: privatePem }),
      },
    });
    assert.equal(result.code, 0, result.stderr);
    return {
      result,
      privatePem,
      publicKey,
      document: JSON.parse(result.stdout) as { manifestDigest: string },
    };
  }

  /** The referrers the fallback tag lists for the image, read as any client would. */
  async function fallbackReferrers(digest: string): Promise<Descriptor[]> {
    const api = await get(`referrers/${digest}`, INDEX);
    assert.equal(api.status, 404, 'this registry has no referrers API: the fallback tag is what lists them');
    const index = await getJson<{ mediaType: string; manifests: Descriptor[] }>(
      `manifests/sha256-${digest.slice('sha256:'.length)}`,
      INDEX,
    );
    assert.equal(index.mediaType, INDEX);
    return index.manifests;
  }

  /** The one layer of a referrer, after checking its manifest points at the image. */
  async function referrerLayer(descriptor: Descriptor, subject: string): Promise<Buffer> {
    const manifest = await getJson<{
      artifactType: string;
      subject: Descriptor;
      config: Descriptor;
      layers: Descriptor[];
    }>(`manifests/${descriptor.digest}`, MANIFEST);
    assert.equal(manifest.subject.digest, subject);
    assert.equal(manifest.artifactType, descriptor.artifactType);
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.equal(manifest.layers.length, 1);
    const blob = await get(`blobs/${manifest.layers[0]?.digest}`);
    assert.equal(blob.status, 200);
    return Buffer.from(await blob.arrayBuffer());
  }

  /** DSSE v1's pre-authentication encoding, written here from the protocol, not imported. */
  function pae(payloadType: string, payload: Buffer): Buffer {
    const type = Buffer.from(payloadType);
    return Buffer.concat([
      Buffer.from(`DSSEv1 ${type.length} `),
      type,
      Buffer.from(` ${payload.length} `),
      payload,
    ]);
  }

  async function opensslVerifies(kind: 'ec' | 'ed25519', publicKey: string, data: Buffer, sig: Buffer) {
    const paeFile = join(dir, `${kind}.pae.bin`);
    const sigFile = join(dir, `${kind}.sig.bin`);
    await writeFile(paeFile, data);
    await writeFile(sigFile, sig);
    const args =
      kind === 'ec'
        ? ['dgst', '-sha256', '-verify', publicKey, '-signature', sigFile, paeFile]
        : [
            'pkeyutl',
            '-verify',
            '-pubin',
            '-inkey',
            publicKey,
            '-rawin',
            '-in',
            paeFile,
            '-sigfile',
            sigFile,
          ];
    const result = await runProgram('openssl', args);
    return result.code === 0;
  }

  const runs: Array<{ kind: 'ec' | 'ed25519'; keyVia: 'file' | 'env' }> = [
    { kind: 'ec', keyVia: 'file' },
    { kind: 'ed25519', keyVia: 'env' },
  ];
  for (const { kind, keyVia } of runs) {
    test(`${kind} key from ${keyVia}: the attestation is found through the fallback tag and openssl verifies it`, async () => {
      const { result, privatePem, publicKey, document } = await scanAndAttest(kind, keyVia);
      const subject = document.manifestDigest;
      assert.match(subject, /^sha256:[0-9a-f]{64}$/);
      const head = await get('manifests/1.0', MANIFEST);
      assert.equal(head.headers.get('docker-content-digest'), subject, 'the scanned manifest is the tag');

      const referrers = await fallbackReferrers(subject);
      const attestations = referrers.filter((entry) => entry.artifactType === DSSE);
      const sboms = referrers.filter((entry) => entry.artifactType === 'application/vnd.cyclonedx+json');
      assert.ok(attestations.length >= 1 && sboms.length >= 1, JSON.stringify(referrers));
      for (const entry of attestations)
        assert.equal(
          entry.annotations?.['in-toto.io/predicate-type'],
          'https://cosign.sigstore.dev/attestation/vuln/v1',
        );

      // Both runs attest the same image: this run's envelope is the one signed under this key's id.
      const envelopes = await Promise.all(
        attestations.map(
          async (entry) => JSON.parse((await referrerLayer(entry, subject)).toString()) as Envelope,
        ),
      );
      const keyid = createHash('sha256')
        .update(createPublicKey(await readFile(publicKey, 'utf8')).export({ type: 'spki', format: 'der' }))
        .digest('hex');
      const mine = envelopes.filter((candidate) => candidate.signatures[0]?.keyid === keyid);
      assert.equal(mine.length, 1, 'one attestation signed with this key');
      const envelope = mine[0] as Envelope;
      assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
      const payload = Buffer.from(envelope.payload, 'base64');
      const signature = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
      assert.ok(await opensslVerifies(kind, publicKey, pae(envelope.payloadType, payload), signature));
      const tampered = Buffer.from(payload.toString().replace('"findings"', '"findingz"'));
      assert.equal(
        await opensslVerifies(kind, publicKey, pae(envelope.payloadType, tampered), signature),
        false,
      );

      const statement = JSON.parse(payload.toString()) as {
        _type: string;
        subject: Array<{ name: string; digest: { sha256: string } }>;
        predicateType: string;
        predicate: { scanner: { uri: string; db: { version: string }; result: unknown } };
      };
      assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
      assert.deepEqual(statement.subject, [
        { name: `${registry().host}/e2e/app`, digest: { sha256: subject.slice('sha256:'.length) } },
      ]);
      assert.equal(statement.predicateType, 'https://cosign.sigstore.dev/attestation/vuln/v1');
      assert.match(statement.predicate.scanner.uri, /^pkg:generic\/customs@/);
      assert.deepEqual(
        statement.predicate.scanner.result,
        document,
        'the result is the report the scan printed',
      );

      const sbom = JSON.parse((await referrerLayer(sboms.at(-1) as Descriptor, subject)).toString()) as {
        bomFormat: string;
        components: unknown[];
      };
      assert.equal(sbom.bomFormat, 'CycloneDX');
      assert.ok(sbom.components.length > 50, `${sbom.components.length} components`);

      const keyLines = privatePem.split('\n').filter((line) => line.length > 16 && !line.startsWith('-----'));
      const registryLog = await readFile(registry().logFile, 'utf8');
      for (const [where, text] of [
        ['stdout', result.stdout],
        ['stderr', result.stderr],
        ['registry log', registryLog],
        ['attestation', JSON.stringify(envelope)],
      ] as const)
        for (const line of keyLines)
          assert.ok(!text.includes(line), `the private key is not in the ${where}`);
    });
  }
});
