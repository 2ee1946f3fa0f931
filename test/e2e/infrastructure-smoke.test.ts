// Proves the e2e test bed itself, independently of the scanner: the built images and their ground
// truth, real registries in each auth mode, the blob-GET counter, webhook notifications, the archives,
// and that stopping a registry leaves no process behind.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import { asArray, asRecord, asString, isRecord, parseJson } from '../support/json-shape.js';
import { startNotificationSink } from '../support/notification-sink.js';
import { startRegistry, type Registry, type RegistryAuth } from '../support/registry.js';
import { copyImage, inspectImage, pushImage } from '../support/skopeo.js';
import { useRegistry } from '../support/use-registry.js';

const e2e = e2eEnvironment();
const UNAUTHORIZED = /unauthorized|authentication required|denied/i;

describe('e2e infrastructure', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);
  const creds = (registry: Registry) =>
    registry.username && registry.password
      ? { username: registry.username, password: registry.password }
      : null;

  test('the ground truth describes the images the tests expect', () => {
    const debs = new Map(truth.debsAmd64.map((deb) => [deb.name, deb]));
    for (const name of [
      'python3-requests',
      'python3-urllib3',
      'python3-jinja2',
      'python3-yaml',
      'python3-venv',
    ]) {
      assert.ok(debs.has(name), `dpkg-query lists ${name}`);
    }
    assert.equal(new Set(truth.debsArm64.map((deb) => deb.arch)).has('arm64'), true, 'arm64 debs');
    assert.equal(
      truth.debsArm64.some((deb) => deb.arch === 'amd64'),
      false,
      'no amd64 deb in the arm64 rootfs',
    );
    const owners = Object.fromEntries(truth.python.map((dist) => [dist.name, dist.owner]));
    assert.deepEqual(
      {
        requests: owners.requests,
        urllib3: owners.urllib3,
        Jinja2: owners.Jinja2,
        PyYAML: owners.PyYAML,
        pip: owners.pip,
        setuptools: owners.setuptools,
      },
      {
        requests: 'python3-requests',
        urllib3: 'python3-urllib3',
        Jinja2: 'python3-jinja2',
        PyYAML: 'python3-yaml',
        pip: null,
        setuptools: null,
      },
    );
    assert.match(truth.go.toolchain, /^go1\.19\.\d+$/);
    assert.equal(truth.go.mainPackage, 'github.com/docker/distribution/cmd/registry');
    const npm = new Set(truth.npm.map((pkg) => `${pkg.name}@${pkg.version}`));
    for (const pkg of ['lodash@4.17.15', 'minimist@1.2.0', 'express@4.17.1']) assert.ok(npm.has(pkg), pkg);
    for (const name of ['body-parser', 'qs', 'cookie', 'send', 'serve-static', 'path-to-regexp']) {
      assert.ok(
        truth.npm.some((pkg) => pkg.name === name),
        `express brings ${name}`,
      );
    }
    assert.deepEqual(
      truth.app.layers.map((layer) => layer.createdBy.split(' ')[0]),
      ['debootstrap', 'COPY', 'RUN', 'COPY'],
    );
    assert.equal(truth.truncated.layers.length, 5);
    assert.deepEqual(
      truth.multi.manifests.map(
        (child) => child.platform && `${child.platform.os}/${child.platform.architecture}`,
      ),
      ['linux/amd64', 'linux/arm64', 'unknown/unknown'],
    );
  });

  for (const auth of ['none', 'basic', 'token'] satisfies RegistryAuth[]) {
    describe(`registry with auth=${auth}`, () => {
      const registry = useRegistry({ auth });

      test('skopeo pushes app and inspects it back by its manifest digest', async () => {
        const ref = `${registry().host}/e2e/app:1.0`;
        await pushImage(images.layout, 'app', ref, { creds: creds(registry()) });
        const inspected = await inspectImage(`docker://${ref}`, { creds: creds(registry()) });
        assert.equal(inspected.code, 0, inspected.stderr);
        const digest = asRecord(parseJson(inspected.stdout, 'skopeo inspect'), 'skopeo inspect').Digest;
        assert.equal(digest, truth.app.digest);
      });

      if (auth !== 'none') {
        test('anonymous and wrong-password requests are refused', async () => {
          const ref = `docker://${registry().host}/e2e/app:1.0`;
          const anonymous = await inspectImage(ref);
          assert.notEqual(anonymous.code, 0);
          assert.match(anonymous.stderr, UNAUTHORIZED);
          const wrong = await inspectImage(ref, {
            creds: { username: 'customs', password: 'not-the-password' },
          });
          assert.notEqual(wrong.code, 0);
          assert.match(wrong.stderr, UNAUTHORIZED);
        });
      }

      if (auth === 'token') {
        test('the token server granted the push and pull scopes to the user', () => {
          const granted =
            registry().tokenServer?.requests.filter((request) => request.outcome === 'granted') ?? [];
          assert.ok(
            granted.some(
              (request) =>
                request.account === 'customs' && request.scopes.includes('repository:e2e/app:pull,push'),
            ),
            JSON.stringify(granted),
          );
          assert.ok(registry().tokenServer?.requests.some((request) => request.outcome === 'denied'));
        });
      }
    });
  }

  describe('blob-GET counter', () => {
    const registry = useRegistry({ auth: 'basic' });
    const scratch = mkdtemp(join(tmpdir(), 'customs-e2e-pull-'));
    after(async () => rm(await scratch, { recursive: true, force: true }));

    test('sees a skopeo pull fetch each layer and the config exactly once', async () => {
      const ref = `${registry().host}/e2e/app:1.0`;
      await pushImage(images.layout, 'app', ref, { creds: creds(registry()) });
      assert.deepEqual(await registry().blobGets(), new Map(), 'a push GETs no blob');
      await copyImage(`docker://${ref}`, `oci:${await scratch}:pulled`, creds(registry()));
      const expected = new Map(
        [truth.app.configDigest, ...truth.app.layers.map((layer) => layer.digest)].map((d) => [d, 1]),
      );
      assert.deepEqual(await registry().blobGets(), expected);
      assert.deepEqual(await registry().manifestGets(), new Map([['1.0', 1]]));
    });
  });

  describe('notifications', () => {
    const sinkReady = startNotificationSink();
    let registry: Registry | undefined;
    after(async () => {
      await registry?.stop();
      await (await sinkReady).close();
    });

    test('a push is announced to the webhook with the configured Authorization header', async () => {
      const sink = await sinkReady;
      registry = await startRegistry({
        auth: 'none',
        notifications: { url: sink.url, headers: { Authorization: 'Bearer e2e-webhook-token' } },
      });
      await pushImage(images.layout, 'app', `${registry.host}/e2e/app:1.0`);
      const pushed = await sink.waitFor((n) => manifestPushTags(n.body).includes('e2e/app:1.0'));
      assert.equal(pushed.headers.authorization, 'Bearer e2e-webhook-token');
    });
  });

  describe('multi-arch index', () => {
    const registry = useRegistry({ auth: 'none' });

    test('skopeo copy --all pushes the index unchanged, attestation child included', async () => {
      const ref = `${registry().host}/e2e/multi:1.0`;
      await pushImage(images.layout, 'multi', ref, { all: true });
      const raw = await inspectImage(`docker://${ref}`, { raw: true });
      assert.equal(raw.code, 0, raw.stderr);
      assert.equal(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`, truth.multi.digest);
      const children = asArray(
        asRecord(parseJson(raw.stdout, 'index'), 'index').manifests,
        'index.manifests',
      );
      assert.deepEqual(
        children.map((child, i) =>
          asString(asRecord(child, `manifests[${i}]`).digest, `manifests[${i}].digest`),
        ),
        truth.multi.manifests.map((child) => child.digest),
      );
    });
  });

  test('the archives hold app: oci-archive by blob digest, docker-archive by diff_id, history kept', async () => {
    for (const [name, digests] of [
      [`oci-archive:${images.ociArchive}`, truth.app.layers.map((layer) => layer.digest)],
      [`docker-archive:${images.dockerArchive}`, truth.app.layers.map((layer) => layer.diffId)],
    ] as const) {
      const inspected = await inspectImage(name);
      assert.equal(inspected.code, 0, inspected.stderr);
      assert.deepEqual(asRecord(parseJson(inspected.stdout, name), name).Layers, digests, name);
      const config = await inspectImage(name, { config: true });
      const history = asArray(asRecord(parseJson(config.stdout, name), name).history, `${name} history`);
      const createdBy = history
        .filter((h) => isRecord(h) && h.empty_layer !== true)
        .map((h) => isRecord(h) && h.created_by);
      assert.deepEqual(
        createdBy,
        truth.app.layers.map((layer) => layer.createdBy),
        `${name} history`,
      );
    }
  });

  test('stop() kills the registry by PID and leaves no process behind', async () => {
    const registry = await startRegistry({ auth: 'token' });
    await registry.stop();
    assert.throws(() => process.kill(registry.pid, 0), { code: 'ESRCH' });
    await registry.stop(); // a second stop is harmless
  });
});

/** `repository:tag` of every manifest push event in a notification body. */
function manifestPushTags(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.events)) return [];
  return body.events.flatMap((event) => {
    if (!isRecord(event) || event.action !== 'push' || !isRecord(event.target)) return [];
    const { repository, tag, mediaType } = event.target;
    return typeof tag === 'string' && typeof mediaType === 'string' && mediaType.includes('manifest')
      ? [`${String(repository)}:${tag}`]
      : [];
  });
}
