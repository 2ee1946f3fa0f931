// What the shipped binary writes to its logs while it handles real, authenticated traffic: `customs
// webhook`, `customs api` and `customs worker` (services/cli/bin/customs.js) as separate processes,
// configured with a registry password and webhook secrets, fed by a real docker-registry whose
// notifications carry the Distribution Authorization header. Every byte each process wrote (stdout and
// stderr) is read back: none of the secrets may appear, and each log must show the work it did, so a
// silent or crashed process cannot pass.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import type { LogLine } from '../support/log-follower.js';
import { startServiceStack, type ServiceStack } from '../support/service-stack.js';
import { pushImage } from '../support/skopeo.js';
import {
  distributionPush,
  dockerhubPush,
  githubHeaders,
  githubPackagePublished,
  postWebhook,
} from '../support/webhook-sender.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);
const PATIENCE = { timeoutMs: 90_000, intervalMs: 50 };
const REPOSITORY = 'e2e/secrets';

describe('the logs of customs webhook | api | worker hold no secret', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);
  let stack: ServiceStack;

  before(
    async () => {
      stack = await startServiceStack({ workers: 1 });
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await stack?.stop();
  });

  test(
    'a pushed image is received, scanned and served; no log line of any process shows a secret',
    { timeout: 180_000 },
    async () => {
      const { registry, secrets } = stack;
      const password = registry.password ?? '';
      assert.ok(password.length > 0, 'the registry needs a password, or there is nothing to leak');
      const digest = truth.app.digest;
      const pushed = { registry: registry.host, repository: REPOSITORY, tag: '1.0', digest };
      // The registry's own notification: Distribution's Authorization header, then the worker pulls
      // with the registry password.
      await pushImage(images.layout, 'app', `${registry.host}/${REPOSITORY}:1.0`, {
        creds: { username: registry.username ?? '', password },
      });
      const { verdict } = await stack.api.waitForVerdict(digest, PATIENCE);
      assert.equal(verdict.verdict, 'fail');

      const hook = (path: string) => `${stack.webhookUrl}/webhooks/${path}`;
      const github = githubPackagePublished(pushed);
      const answers = [
        // Signed with the GitHub secret: accepted (the scan is reused).
        await postWebhook(
          hook('github'),
          github,
          githubHeaders(github, { secret: secrets.githubSecret, deliveryId: randomUUID() }),
        ),
        // Docker Hub's secret is the URL path; the tag is resolved at the registry with its password.
        await postWebhook(
          hook(`dockerhub/${secrets.dockerhubPathSecret}`),
          dockerhubPush(`http://${registry.host}/${REPOSITORY}`, REPOSITORY, '1.0'),
          {},
        ),
        // The real secret with one character more: refused, and the refusal is logged.
        await postWebhook(hook('distribution'), distributionPush(pushed), {
          authorization: `${secrets.distributionAuthorization}x`,
        }),
      ];
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [202, 202, 401],
        JSON.stringify(answers),
      );

      const processes = [stack.webhook, stack.apiProcess, ...stack.workers];
      // SIGTERM: the shutdown lines are part of what an operator's log collector keeps.
      for (const role of processes) await role.stop();
      const logs = new Map<string, string>();
      for (const role of processes) logs.set(role.name, await readFile(role.logFile, 'utf8'));

      const messages = (name: string) =>
        (logs.get(name) ?? '')
          .split('\n')
          .filter((line) => line !== '')
          .map((line): LogLine => JSON.parse(line));
      // Every line is a JSON record (no raw stack trace), and each process logged the work it did.
      const webhook = messages('webhook').map((line) => line.msg);
      assert.ok(webhook.includes('started'), webhook.join(' | '));
      assert.ok(webhook.includes('webhook delivery refused'), webhook.join(' | '));
      assert.ok(
        webhook.some((msg) => typeof msg === 'string' && msg.startsWith('webhook event')),
        webhook.join(' | '),
      );
      assert.ok(messages('api').some((line) => line.msg === 'started'));
      assert.ok(messages('worker-1').some((line) => line.msg === 'scan done'));

      const secretValues = {
        'registry password': password,
        'Distribution Authorization': secrets.distributionAuthorization,
        'Distribution token': secrets.distributionAuthorization.replace(/^Bearer /, ''),
        'GitHub secret': secrets.githubSecret,
        'Docker Hub path secret': secrets.dockerhubPathSecret,
        'admin token': secrets.adminToken,
      };
      for (const [name, log] of logs) {
        for (const [what, secret] of Object.entries(secretValues))
          assert.ok(!log.includes(secret), `${name}'s log shows the ${what}`);
      }
    },
  );
});
