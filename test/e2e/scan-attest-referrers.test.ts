// `customs scan --attest` end to end (issue 10, done-means 4): the real app image in a real registry
// (Debian's docker-registry, which has no referrers API), the SBOM and a signed vulnerability
// attestation pushed back as referrers, then found again through the sha256-<hex> fallback tag with
// plain HTTP requests, and the DSSE signature checked by openssl over a PAE built without Customs code.
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listReferrers } from '@customs/oci';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';
import {
  DSSE_MEDIA_TYPE,
  dssePae,
  keyLines,
  opensslKeyPair,
  opensslVerifies,
  PlainRepository,
  type Descriptor,
  type Envelope,
  type KeyKind,
} from '../support/referrers-oracle.js';
import { pushImage } from '../support/skopeo.js';
import { useRegistry } from '../support/use-registry.js';

const e2e = e2eEnvironment();

describe('customs scan --attest <registry image>', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const registry = useRegistry({ auth: 'basic' });
  const ref = () => `${registry().host}/e2e/app:1.0`;
  const credentials = () => ({ username: registry().username ?? '', password: registry().password ?? '' });
  const repository = () => new PlainRepository(registry().host, 'e2e/app', credentials());
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

  /** Scans with --attest, the key given as a file or in CUSTOMS_SIGNING_KEY. */
  async function scanAndAttest(key: string, keyVia: 'file' | 'env') {
    const { username, password } = credentials();
    const args = ['scan', ref(), '--format', 'json', '--db-dir', dbDir, '--skip-db-update', '--attest'];
    const result = await runCustoms(keyVia === 'file' ? [...args, '--signing-key', key] : args, {
      env: {
        CUSTOMS_REGISTRY_AUTH: `${username}:${password}`,
        ...(keyVia === 'env' && { CUSTOMS_SIGNING_KEY: await readFile(key, 'utf8') }),
      },
    });
    assert.equal(result.code, 0, result.stderr);
    return { result, document: JSON.parse(result.stdout) as { manifestDigest: string } };
  }

  const runs: Array<{ kind: KeyKind; keyVia: 'file' | 'env' }> = [
    { kind: 'ec', keyVia: 'file' },
    { kind: 'ed25519', keyVia: 'env' },
  ];
  for (const { kind, keyVia } of runs) {
    test(`${kind} key from ${keyVia}: the attestation is found through the fallback tag and openssl verifies it`, async () => {
      const { key, publicKey } = await opensslKeyPair(dir, kind);
      const { result, document } = await scanAndAttest(key, keyVia);
      const subject = document.manifestDigest;
      assert.match(subject, /^sha256:[0-9a-f]{64}$/);
      const head = await repository().get('manifests/1.0', 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(head.headers.get('docker-content-digest'), subject, 'the scanned manifest is the tag');

      const referrers = await repository().fallbackReferrers(subject);
      const attestations = referrers.filter((entry) => entry.artifactType === DSSE_MEDIA_TYPE);
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
          async (entry) =>
            JSON.parse((await repository().referrerLayer(entry, subject)).toString()) as Envelope,
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
      assert.ok(
        await opensslVerifies(dir, kind, publicKey, dssePae(envelope.payloadType, payload), signature),
      );
      const tampered = Buffer.from(payload.toString().replace('"findings"', '"findingz"'));
      assert.equal(
        await opensslVerifies(dir, kind, publicKey, dssePae(envelope.payloadType, tampered), signature),
        false,
        'openssl refuses the signature over another payload',
      );

      const statement = JSON.parse(payload.toString()) as {
        _type: string;
        subject: Array<{ name: string; digest: { sha256: string } }>;
        predicateType: string;
        predicate: { scanner: { uri: string; result: unknown } };
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

      const sbomLayer = await repository().referrerLayer(sboms.at(-1) as Descriptor, subject);
      const sbom = JSON.parse(sbomLayer.toString()) as { bomFormat: string; components: unknown[] };
      assert.equal(sbom.bomFormat, 'CycloneDX');
      assert.ok(sbom.components.length > 50, `${sbom.components.length} components`);

      const registryLog = await readFile(registry().logFile, 'utf8');
      const shown = {
        stdout: result.stdout,
        stderr: result.stderr,
        'registry log': registryLog,
        envelope: JSON.stringify(envelope),
      };
      for (const line of keyLines(await readFile(key, 'utf8')))
        for (const [where, text] of Object.entries(shown))
          assert.ok(!text.includes(line), `the private key is not in the ${where}`);
    });
  }

  test('listReferrers, the read side other features use, lists what the fallback tag holds', async () => {
    const head = await repository().get('manifests/1.0', 'application/vnd.oci.image.manifest.v1+json');
    const subject = head.headers.get('docker-content-digest') ?? '';
    const plain = await repository().fallbackReferrers(subject);
    const options = { credentials: () => credentials() };
    const all = await listReferrers(`${registry().host}/e2e/app@${subject}`, options);
    assert.equal(all.via, 'tag');
    assert.deepEqual(all.referrers, plain);
    const signed = await listReferrers(`${registry().host}/e2e/app@${subject}`, options, {
      artifactType: DSSE_MEDIA_TYPE,
    });
    assert.deepEqual(
      signed.referrers.map((entry) => entry.digest),
      plain.filter((entry) => entry.artifactType === DSSE_MEDIA_TYPE).map((entry) => entry.digest),
    );
    assert.equal(signed.referrers.length, runs.length, 'one attestation per run');
    const other = `sha256:${'0'.repeat(64)}`;
    assert.deepEqual(await listReferrers(`${registry().host}/e2e/app@${other}`, options), {
      referrers: [],
      via: 'tag',
    });
  });
});
