// Which webhook deliveries Customs believes, against the real processes (`customs webhook`, `customs
// api`, `customs worker`, a real docker-registry, PostgreSQL, Redis). The images are app variants
// pushed through a host name the configuration does not list (`localhost:PORT`), so the registry's own
// notifications name an unconfigured registry and scan nothing: each scan here is caused by the
// delivery under test. Deliveries are built in the test (synthetic, shaped
// like the real ones: test/support/webhook-sender.ts); a loopback TCP trap stands in for a registry
// nobody configured and counts every connection made to it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { writeVariantLayout } from '../support/image-variants.js';
import { settleAll, startServiceStack, type ServiceStack } from '../support/service-stack.js';
import { pushImage } from '../support/skopeo.js';
import { startTcpTrap, type TcpTrap } from '../support/tcp-trap.js';
import {
  distributionPush,
  dockerhubPush,
  githubHeaders,
  githubPackagePublished,
  postWebhook,
  type PushedManifest,
} from '../support/webhook-sender.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);
const PATIENCE = { timeoutMs: 90_000, intervalMs: 50 };
const REPOSITORY = 'e2e/trust';

describe(
  'webhook deliveries Customs refuses, and the ones it does not scan twice',
  { skip: e2e.skip },
  () => {
    const images = e2e.images();
    let stack: ServiceStack;
    let trap: TcpTrap;
    let scratch = '';
    let digests = new Map<string, string>();

    before(
      async () => {
        scratch = await mkdtemp(join(tmpdir(), 'customs-e2e-trust-'));
        const layout = join(scratch, 'oci');
        const own = (tag: string) => ({
          tag,
          layers: [{ files: [{ path: `etc/customs-e2e/${tag}`, content: `${tag}\n` }], createdBy: tag }],
        });
        // Settled, not Promise.all: whatever started must be stopped even if something else failed.
        await settleAll([
          startServiceStack({ workers: 1 }).then((started) => (stack = started)),
          startTcpTrap().then((started) => (trap = started)),
          writeVariantLayout(images.layout, 'app', layout, [own('distribution'), own('github')]).then(
            (built) => (digests = built),
          ),
        ]);
        const creds = { username: stack.registry.username ?? '', password: stack.registry.password ?? '' };
        const unlisted = stack.registry.host.replace('127.0.0.1', 'localhost');
        for (const [tag, digest] of digests) {
          // Recorded as naming an unconfigured registry (localhost:PORT), and not scanned.
          await pushImage(layout, tag, `${unlisted}/${REPOSITORY}@${digest}`, { creds });
        }
      },
      { timeout: 180_000 },
    );
    after(async () => {
      await stack?.stop();
      await trap?.close();
      await rm(scratch, { recursive: true, force: true });
    });

    const pushed = (tag: string): PushedManifest => {
      const digest = digests.get(tag);
      if (digest === undefined) throw new Error(`no variant ${tag}`);
      return { registry: stack.registry.host, repository: REPOSITORY, tag, digest };
    };
    const hook = (path: string) => `${stack.webhookUrl}/webhooks/${path}`;
    const scansOf = async (digest: string) =>
      (
        await stack.db.query<{ n: number }>('select count(*)::int as n from scans where digest = $1', [
          digest,
        ])
      )[0]?.n;
    const scansDoneOf = async (digest: string) =>
      (await Promise.all(stack.workers.map((worker) => worker.logs())))
        .flat()
        .filter(
          (line) => line.msg === 'scan done' && typeof line.image === 'string' && line.image.endsWith(digest),
        ).length;
    interface DeliveryRow {
      outcome: string;
      reason: string | null;
      delivery_id: string | null;
      payload: unknown;
    }
    const COLUMNS = 'select outcome, reason, delivery_id, payload from webhook_deliveries';
    /** Deliveries a source's authentication refused (they name no image, nor registry). */
    const refusedBy = (source: string) =>
      stack.db.query<DeliveryRow>(
        `${COLUMNS} where source = $1 and outcome = 'rejected' and registry is null order by id`,
        [source],
      );
    /** Deliveries that asked for a scan of the digest. */
    const acceptedFor = (source: string, digest: string) =>
      stack.db.query<DeliveryRow>(
        `${COLUMNS} where source = $1 and digest = $2 and outcome in ('enqueued', 'duplicate') order by id`,
        [source, digest],
      );

    test(
      'Distribution: a wrong or missing Authorization is refused and queues nothing; a replayed event is not scanned twice',
      { timeout: 120_000 },
      async () => {
        const image = pushed('distribution');
        const body = distributionPush(image);
        const forged = [
          await postWebhook(hook('distribution'), body, { authorization: 'Bearer not-the-secret' }),
          await postWebhook(hook('distribution'), body, {}),
          await postWebhook(hook('distribution'), body, {
            authorization: `${stack.secrets.distributionAuthorization}x`,
          }),
        ];
        assert.deepEqual(
          forged.map((answer) => answer.status),
          [401, 401, 401],
        );
        assert.equal(await scansOf(image.digest), 0, 'no scan recorded for a refused delivery');
        assert.equal((await stack.api.verdict(image.digest)).verdict, 'unknown');
        const refused = await refusedBy('distribution');
        assert.deepEqual(
          refused.map((row) => row.reason),
          ['wrong authorization header', 'no authorization header', 'wrong authorization header'],
        );
        for (const row of refused) {
          assert.deepEqual(
            Object.keys(row.payload ?? {}),
            ['refused'],
            'nothing of a refused body is stored',
          );
        }

        // The same event, authentic: scanned. Then sent again as the registry would re-send it (same id).
        const authentic = { authorization: stack.secrets.distributionAuthorization };
        assert.equal((await postWebhook(hook('distribution'), body, authentic)).status, 202);
        const { verdict } = await stack.api.waitForVerdict(image.digest, PATIENCE);
        assert.equal(verdict.verdict, 'fail');
        const replay = await postWebhook(hook('distribution'), body, authentic);
        assert.equal(replay.status, 202, 'acknowledged, so the registry stops re-sending it');
        assert.deepEqual(replay.body, {
          enqueued: 0,
          duplicates: 1,
          ignored: 0,
          invalid: 0,
          scans: [verdict.scan?.id],
        });
        await sleep(1000); // time enough for a worker to pick up a job, had one been queued
        assert.equal(await scansOf(image.digest), 1);
        assert.equal(await scansDoneOf(image.digest), 1);
        const eventId = (JSON.parse(body) as { events: Array<{ id: string }> }).events[0]?.id;
        const accepted = await acceptedFor('distribution', image.digest);
        assert.deepEqual(
          accepted.map((row) => [
            row.delivery_id,
            row.reason?.startsWith(`replay of delivery ${eventId}`) ?? false,
          ]),
          [
            [eventId, false],
            [null, true],
          ],
        );
      },
    );

    test(
      'GitHub: unsigned, wrongly signed and tampered deliveries are refused; a redelivery is not scanned twice',
      { timeout: 120_000 },
      async () => {
        const image = pushed('github');
        const body = githubPackagePublished(image);
        const deliveryId = randomUUID();
        const { githubSecret } = stack.secrets;
        const tampered = githubPackagePublished({ ...image, tag: 'tampered' });
        const refused = [
          await postWebhook(hook('github'), body, githubHeaders(body, { secret: null, deliveryId })),
          await postWebhook(
            hook('github'),
            body,
            githubHeaders(body, { secret: `${githubSecret}x`, deliveryId }),
          ),
          // signed, then changed on the way
          await postWebhook(
            hook('github'),
            tampered,
            githubHeaders(body, { secret: githubSecret, deliveryId }),
          ),
        ];
        assert.deepEqual(
          refused.map((answer) => answer.status),
          [401, 401, 401],
        );
        assert.equal(await scansOf(image.digest), 0);
        assert.deepEqual(
          (await refusedBy('github')).map((row) => [row.outcome, row.reason]),
          [
            ['rejected', 'no X-Hub-Signature-256 header'],
            ['rejected', 'X-Hub-Signature-256 does not match the body'],
            ['rejected', 'X-Hub-Signature-256 does not match the body'],
          ],
        );

        const signed = githubHeaders(body, { secret: githubSecret, deliveryId });
        assert.equal((await postWebhook(hook('github'), body, signed)).status, 202);
        const { verdict } = await stack.api.waitForVerdict(image.digest, PATIENCE);
        assert.equal(verdict.verdict, 'fail');
        assert.equal(
          (await stack.api.verdictOf(`${image.registry}/${REPOSITORY}:github`)).digest,
          image.digest,
        );
        const redelivery = await postWebhook(hook('github'), body, signed);
        assert.equal(redelivery.status, 202);
        await sleep(1000);
        assert.equal(await scansOf(image.digest), 1);
        assert.equal(await scansDoneOf(image.digest), 1);
        const rows = await acceptedFor('github', image.digest);
        assert.deepEqual(
          rows.map((row) => [
            row.delivery_id,
            row.reason?.startsWith(`replay of delivery ${deliveryId}`) ?? false,
          ]),
          [
            [deliveryId, false],
            [null, true],
          ],
        );
      },
    );

    test(
      'an authentic payload naming a registry that is not configured is recorded and makes no outbound connection at all',
      { timeout: 120_000 },
      async () => {
        const elsewhere = { ...pushed('distribution'), registry: trap.host, tag: 'trap' };
        const viaRequestHost = JSON.parse(distributionPush(elsewhere)) as {
          events: Array<{ target: { url?: string } }>;
        };
        for (const event of viaRequestHost.events) delete event.target.url;
        const githubBody = githubPackagePublished(elsewhere);
        const dockerhubBody = dockerhubPush(`http://${trap.host}/u/e2e/trust/`, REPOSITORY, 'trap');
        const authentic = { authorization: stack.secrets.distributionAuthorization };
        const answers = [
          await postWebhook(hook('distribution'), distributionPush(elsewhere), authentic),
          await postWebhook(hook('distribution'), JSON.stringify(viaRequestHost), authentic),
          await postWebhook(
            hook('github'),
            githubBody,
            githubHeaders(githubBody, { secret: stack.secrets.githubSecret, deliveryId: randomUUID() }),
          ),
          // Docker Hub sends no digest: a receiver that skipped the allow-list would resolve the tag there.
          await postWebhook(hook(`dockerhub/${stack.secrets.dockerhubPathSecret}`), dockerhubBody, {}),
        ];
        // Acknowledged: each is authentic, and sending it again would change nothing.
        assert.deepEqual(
          answers.map((answer) => answer.status),
          [200, 200, 200, 200],
        );
        const scan = await stack.api.requestScan({ ref: `${trap.host}/${REPOSITORY}:trap` });
        assert.equal(scan.status, 422);
        assert.deepEqual((scan.body as { error: { code: string } }).error.code, 'REGISTRY_NOT_CONFIGURED');

        await sleep(1500); // a worker polls for jobs continuously: time enough to have tried, had there been one
        assert.equal(trap.connections(), 0, 'nobody connected to the unconfigured registry');
        const rows = await stack.db.query<{ n: number }>(
          'select count(*)::int as n from scans where registry = $1',
          [trap.host],
        );
        assert.equal(rows[0]?.n, 0);
        const refusedReasons = (
          await stack.db.query<{ source: string; reason: string }>(
            "select source, reason from webhook_deliveries where outcome = 'rejected' and registry = $1 order by id",
            [trap.host],
          )
        ).map((row) => `${row.source}: ${row.reason}`);
        const because = `registry ${trap.host} is not configured; add it to registries[].aliases if it is that registry`;
        assert.deepEqual(refusedReasons, [
          `distribution: ${because}`,
          `distribution: ${because}`,
          `github: ${because}`,
          `dockerhub: ${because}`,
        ]);

        // The trap does catch a connection when one is made.
        await new Promise<void>((resolve) => {
          const socket = connect(Number(trap.host.split(':')[1]), '127.0.0.1');
          socket.on('error', () => undefined).once('close', () => resolve());
        });
        assert.equal(trap.connections(), 1);
      },
    );
  },
);
