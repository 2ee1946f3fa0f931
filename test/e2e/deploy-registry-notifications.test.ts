// The registry configuration shipped for docker-compose (deploy/registry/config.yml), run by the real
// registry with only its address, storage and webhook URL changed: it must announce manifest pushes (what
// Customs acts on) and nothing else, pulls least of all, since every scan pulls.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { freePort, startDaemon, waitForHttp, type Daemon } from '../support/daemon.js';
import { e2eEnvironment, REPO_ROOT } from '../support/e2e-environment.js';
import { asArray, asRecord, asString } from '../support/json-shape.js';
import { startNotificationSink, type NotificationSink } from '../support/notification-sink.js';
import { copyImage, pushImage } from '../support/skopeo.js';

const e2e = e2eEnvironment();

interface RegistryConfig {
  http: { addr: string };
  storage: { filesystem: { rootdirectory: string } };
  notifications: { endpoints: Array<{ url: string; headers?: Record<string, string[]> }> };
}

/** Long enough for the registry's queue to deliver an event it had queued (it sends at once). */
const QUIET_MS = 2000;

describe('deploy/registry/config.yml on the real registry', { skip: e2e.skip }, () => {
  let dir = '';
  let sink: NotificationSink | null = null;
  let registry: Daemon | null = null;
  after(async () => {
    await registry?.stop();
    await sink?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('announces a push by its manifest only; a pull announces nothing', { timeout: 120_000 }, async () => {
    const images = e2e.images();
    dir = await mkdtemp(join(tmpdir(), 'customs-e2e-deploy-registry-'));
    sink = await startNotificationSink('/webhooks/distribution');
    const port = await freePort();
    const config = parseYaml(
      await readFile(join(REPO_ROOT, 'deploy/registry/config.yml'), 'utf8'),
    ) as RegistryConfig;
    config.http.addr = `127.0.0.1:${port}`;
    config.storage.filesystem.rootdirectory = join(dir, 'data');
    const [endpoint] = config.notifications.endpoints;
    assert.ok(endpoint, 'the config names an endpoint');
    endpoint.url = sink.url;
    // YAML is a superset of JSON, so the registry reads this as its config file.
    await writeFile(join(dir, 'config.yml'), JSON.stringify(config));
    registry = startDaemon('docker-registry', ['serve', join(dir, 'config.yml')], join(dir, 'registry.log'));
    await waitForHttp(`http://127.0.0.1:${port}/v2/`, registry, [200]);

    const host = `127.0.0.1:${port}`;
    await pushImage(images.layout, 'base-arm64', `${host}/e2e/base:1`);
    await sink.waitFor((notification) => events(notification.body).some(isManifestPush), 30_000);
    await copyImage(`docker://${host}/e2e/base:1`, `oci:${join(dir, 'pulled')}:base`);
    await sleep(QUIET_MS);

    const announced = sink.received.flatMap((notification) => events(notification.body));
    assert.deepEqual(
      announced.map((event) => `${event.action} ${event.mediaType}`),
      ['push application/vnd.oci.image.manifest.v1+json'],
    );
  });
});

function events(body: unknown): Array<{ action: string; mediaType: string }> {
  return asArray(asRecord(body, 'notification').events, 'events').map((event) => {
    const record = asRecord(event, 'event');
    return {
      action: asString(record.action, 'event.action'),
      mediaType: asString(asRecord(record.target, 'event.target').mediaType, 'event.target.mediaType'),
    };
  });
}

function isManifestPush(event: { action: string; mediaType: string }): boolean {
  return event.action === 'push' && event.mediaType.includes('manifest');
}
