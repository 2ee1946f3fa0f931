import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import request from 'supertest';
import { buildConfig, describeOnBothDatabases, SECRETS } from '../test-support/harness.js';
import { fixtureBytes, fixtureJson, hubSignature } from '../test-support/fixtures.js';
import { startTrapServer } from '../test-support/trap-server.js';

const config = buildConfig();
const trap = await startTrapServer();
after(() => trap.close());

/** package_version.name of the octokit samples (their container_metadata digests are 40 hex: not digests). */
const DIGEST = 'sha256:3da1996a8115d7616457760d9920b815241d0a03b34cf5f04e9a0e9d8de37498';

/**
 * The octokit sample says package_type "npm" although it describes a container (test/fixtures/SOURCES.md);
 * GitHub sends CONTAINER for GHCR packages (and the REST API container). Derived: only that field changed.
 */
function containerSample(name: string, key: 'registry_package' | 'package', packageType: string): string {
  const sample = fixtureJson(name);
  const pkg = sample[key];
  if (typeof pkg !== 'object' || pkg === null) throw new Error(`${name} has no ${key}`);
  return JSON.stringify({ ...sample, [key]: { ...pkg, package_type: packageType } });
}

describeOnBothDatabases('GitHub (GHCR) webhook', (harness) => {
  const post = (
    body: string,
    options: { event?: string; delivery?: string; signature?: string | null } = {},
  ) => {
    const call = request(harness().app(config))
      .post('/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', options.event ?? 'registry_package')
      .set('x-github-delivery', options.delivery ?? '72d3162e-cc78-11e3-81ab-4c9367dc0958');
    const signature =
      options.signature === undefined ? hubSignature(SECRETS.github, body) : options.signature;
    return (signature === null ? call : call.set('x-hub-signature-256', signature)).send(body);
  };

  test('a published container version queues one scan of package_version.name on ghcr.io', async () => {
    const body = containerSample(
      'github-registry_package-published-docker-octokit.json',
      'registry_package',
      'CONTAINER',
    );
    const response = await post(body);
    assert.equal(response.status, 202);
    const scans = await harness().scans();
    assert.deepEqual(
      scans.map(({ id: _id, ...rest }) => rest),
      [
        {
          digest: DIGEST,
          registry: 'ghcr.io',
          repository: 'codertocat/hello-world',
          tag: null,
          trigger: 'webhook',
          status: 'queued',
        },
      ],
    );
    const jobs = await harness().jobs();
    assert.deepEqual(
      jobs.map((job) => [
        job.id,
        job.data.registry,
        job.data.repository,
        job.data.digest,
        job.data.tag,
        job.data.scanId,
      ]),
      [[DIGEST.replace(':', '-'), 'ghcr.io', 'codertocat/hello-world', DIGEST, null, scans[0]?.id]],
    );
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.source, d.deliveryId, d.outcome, d.digest, d.scanId]),
      [['github', '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'enqueued', DIGEST, scans[0]?.id]],
    );
  });

  test('the "package" event with package_type "container" (REST spelling) is scanned too', async () => {
    const body = containerSample('github-package-published-docker-octokit.json', 'package', 'container');
    const response = await post(body, { event: 'package' });
    assert.equal(response.status, 202);
    assert.deepEqual(
      (await harness().jobs()).map((job) => job.data.digest),
      [DIGEST],
    );
  });

  test('the samples as published (package_type "npm") are acknowledged, not scanned', async () => {
    for (const [name, event] of [
      ['github-registry_package-published-docker-octokit.json', 'registry_package'],
      ['github-package-published-docker-octokit.json', 'package'],
    ] as const) {
      const response = await post(fixtureBytes(name).toString(), { event, delivery: `d-${event}` });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { enqueued: 0, duplicates: 0, ignored: 1, invalid: 0, scans: [] });
    }
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome, d.reason]),
      [
        ['d-registry_package', 'ignored', 'package_type npm is not a container package'],
        ['d-package', 'ignored', 'package_type npm is not a container package'],
      ],
    );
  });

  test('a replayed delivery (same X-GitHub-Delivery and body) makes no second job or scan', async () => {
    const body = containerSample(
      'github-registry_package-published-docker-octokit.json',
      'registry_package',
      'CONTAINER',
    );
    const first = await post(body);
    const replay = await post(body);
    assert.equal(first.status, 202);
    assert.equal(replay.status, 202);
    assert.deepEqual(replay.body, {
      enqueued: 0,
      duplicates: 1,
      ignored: 0,
      invalid: 0,
      scans: first.body.scans,
    });
    assert.equal((await harness().jobs()).length, 1);
    assert.equal((await harness().scans()).length, 1);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome, d.reason]),
      [
        ['72d3162e-cc78-11e3-81ab-4c9367dc0958', 'enqueued', null],
        [
          null,
          'duplicate',
          `replay of delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958; scan ${first.body.scans[0]} is already queued`,
        ],
      ],
    );
  });

  test('a wrong, missing or stale signature is 401; nothing queued', async () => {
    const body = containerSample(
      'github-registry_package-published-docker-octokit.json',
      'registry_package',
      'CONTAINER',
    );
    const attempts = [
      { signature: hubSignature('another-secret', body), why: 'X-Hub-Signature-256 does not match the body' },
      { signature: null, why: 'no X-Hub-Signature-256 header' },
      // A valid signature of other bytes: the body was changed after signing.
      {
        signature: hubSignature(SECRETS.github, `${body} `),
        why: 'X-Hub-Signature-256 does not match the body',
      },
      { signature: 'sha256=', why: 'X-Hub-Signature-256 does not match the body' },
    ];
    for (const attempt of attempts) {
      const response = await post(body, { signature: attempt.signature });
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, {
        error: {
          code: 'UNAUTHENTICATED',
          message: 'the delivery was refused',
          hint: "check the sender's secret or signature; the webhook log says which check failed",
        },
      });
    }
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(await harness().scans(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      attempts.map((attempt) => ['rejected', attempt.why]),
    );
  });

  test('a refused delivery does not use up its id: the genuine one still counts', async () => {
    const body = containerSample(
      'github-registry_package-published-docker-octokit.json',
      'registry_package',
      'CONTAINER',
    );
    assert.equal((await post(body, { signature: hubSignature('forged', body) })).status, 401);
    assert.equal((await post(body)).status, 202);
    assert.equal((await harness().jobs()).length, 1);
  });

  test('ping and other events are acknowledged without a scan', async () => {
    const response = await post('{"zen":"Design for failure.","hook_id":1}', {
      event: 'ping',
      delivery: 'ping-1',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.deliveryId, d.outcome, d.reason]),
      [['ping-1', 'ignored', 'GitHub ping events are not scanned']],
    );
  });

  test('a package_url on another registry is refused, and nothing is fetched from it', async () => {
    const sample = containerSample(
      'github-registry_package-published-docker-octokit.json',
      'registry_package',
      'CONTAINER',
    );
    const response = await post(sample.replace('"package_url":"ghcr.io/', `"package_url":"${trap.host}/`));
    assert.equal(response.status, 200);
    assert.deepEqual(trap.requests, []);
    assert.deepEqual(await harness().jobs(), []);
    assert.deepEqual(
      (await harness().deliveries()).map((d) => [d.outcome, d.reason]),
      [
        [
          'rejected',
          `registry ${trap.host} is not configured; add it to registries[].aliases if it is that registry`,
        ],
      ],
    );
  });

  test('malformed JSON with a valid signature is acknowledged with the problem (it would fail again), and recorded', async () => {
    const response = await post('{"action": "published", ');
    assert.equal(response.status, 200);
    assert.match(response.body.problem, /^malformed JSON: /);
  });
});
