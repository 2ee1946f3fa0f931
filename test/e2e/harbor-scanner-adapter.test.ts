// Customs as a Harbor pluggable scanner (spec v1.2), end to end: a Harbor-shaped client registers the
// scanner (metadata), asks for a scan of an image in a real docker-registry with htpasswd auth that
// refuses anonymous pulls, passing the per-scan credential in `registry.authorization` as Harbor does,
// and polls the report (302 + Refresh-After until a worker, started as the binary starts it, has
// scanned). Every answer is checked against the spec document. Afterwards the credential is looked
// for, and must not be found, in every log line of the API and the worker, in every row of every
// table, and in everything Redis holds but the credential's own key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '@customs/db';
import { createTestPostgres, type TestPostgres } from '@customs/db/testing';
import { createRedisConnection } from '@customs/queue';
import { startThrowawayRedis, type ThrowawayRedis } from '@customs/queue/testing';
import { runCustoms } from '../support/customs-cli.js';
import { E2E_TOOLS, e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';
import { HarborClient, specValue } from '../support/harbor-client.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { startRole, type RoleProcess } from '../support/service-role.js';
import { pushImage } from '../support/skopeo.js';
import { predictNpmFindings } from '../support/verdict-oracle.js';

const e2e = e2eEnvironment([...E2E_TOOLS, 'redis-server']);
const VULNERABILITY = 'application/vnd.security.vulnerability.report; version=1.1';
const SBOM = 'application/vnd.security.sbom.report+json; version=1.0';
const DOCKER_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const MAX_POLLS = 120;

describe('Customs as a Harbor pluggable scanner', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);
  const harborToken = `harbor-${randomBytes(12).toString('hex')}`;
  let dir: string;
  let postgres: TestPostgres;
  let redis: ThrowawayRedis;
  let registry: Registry;
  let env: NodeJS.ProcessEnv;
  let api: RoleProcess;
  let worker: RoleProcess | undefined;
  let harbor: HarborClient;
  let db: Database;
  /** The pushed image as Harbor names it: its repository, tag and Docker v2 manifest digest. */
  const artifact = { repository: 'library/app', tag: '1.0', digest: '' };

  before(
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'customs-e2e-harbor-'));
      [postgres, redis, registry] = await Promise.all([
        createTestPostgres(),
        startThrowawayRedis(),
        startRegistry({ auth: 'basic' }),
      ]);
      const creds = { username: registry.username ?? '', password: registry.password ?? '' };
      // Docker's v2 manifest, the media type of the spec's example artifact.
      await pushImage(images.layout, 'app', `${registry.host}/${artifact.repository}:${artifact.tag}`, {
        creds,
        format: 'v2s2',
      });
      artifact.digest = await manifestDigest(registry, creds);
      const imported = await runCustoms(['db', 'import', OSV_FIXTURES], {
        env: { DATABASE_URL: postgres.url },
      });
      assert.equal(imported.code, 0, imported.stderr);
      // The registry is allow-listed without credentials: only the one in each request can pull.
      const config = {
        registries: [{ host: registry.host, insecure: true }],
        harbor: { token: harborToken, registries: [registry.host], refreshAfterSeconds: 1 },
        api: { port: 0 },
        webhook: { port: 0 },
        worker: { concurrency: 1, lockSeconds: 5 },
      };
      const configFile = join(dir, 'customs.yaml');
      await writeFile(configFile, JSON.stringify(config), { mode: 0o600 });
      env = {
        ...process.env,
        CUSTOMS_CONFIG: configFile,
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        LOG_LEVEL: 'debug',
      };
      delete env.CUSTOMS_REGISTRY_AUTH;
      api = await startRole({ role: 'api', name: 'api', dir, env });
      harbor = new HarborClient(`${api.url}/api/v1`, harborToken);
      db = await openDatabase({ url: postgres.url });
    },
    { timeout: 180_000 },
  );
  after(async () => {
    await worker?.stop();
    await api?.stop();
    await db?.close();
    await registry?.stop();
    await redis?.stop();
    await postgres?.close();
    if (dir && process.env.CUSTOMS_E2E_KEEP !== '1') await rm(dir, { recursive: true, force: true });
  });

  test(
    'metadata → scan → 302 until a worker scans → reports; the credential is kept nowhere',
    { timeout: 300_000 },
    async () => {
      const password = registry.password ?? '';
      const authorization = `Basic ${Buffer.from(`${registry.username}:${password}`).toString('base64')}`;
      // The registry really refuses a pull without the credential.
      const anonymous = await fetch(
        `http://${registry.host}/v2/${artifact.repository}/manifests/${artifact.digest}`,
      );
      assert.equal(anonymous.status, 401);

      const metadata = await harbor.metadata();
      assert.equal(metadata.status, 200);
      const capabilities = (
        metadata.body as { capabilities: Array<{ type: string; produces_mime_types: string[] }> }
      ).capabilities;
      assert.deepEqual(
        capabilities.map((capability) => [capability.type, capability.produces_mime_types]),
        [
          ['vulnerability', [VULNERABILITY]],
          ['sbom', [SBOM]],
        ],
      );
      // Without Harbor's token: 401 with the spec's error document.
      const stranger = await fetch(`${api.url}/api/v1/metadata`, {
        headers: { Authorization: 'Bearer wrong' },
      });
      assert.equal(stranger.status, 401);
      assert.equal(
        stranger.headers.get('content-type'),
        'application/vnd.scanner.adapter.error+json; version=1.0',
      );
      assert.match(
        ((await stranger.json()) as { error: { message: string } }).error.message,
        /UNAUTHENTICATED/,
      );

      // The spec's example request, with this registry, image and credential in it.
      const request = {
        registry: { url: `http://${registry.host}`, authorization },
        artifact: {
          repository: artifact.repository,
          digest: artifact.digest,
          tag: artifact.tag,
          mime_type: specValue('#/components/schemas/Artifact/properties/mime_type/example'),
        },
        enabled_capabilities: [
          { type: 'vulnerability', produces_mime_types: [VULNERABILITY] },
          {
            type: specValue(
              '#/components/schemas/ScanRequest/properties/enabled_capabilities/items/properties/type/example',
            ),
            produces_mime_types: specValue(
              '#/components/schemas/ScanRequest/properties/enabled_capabilities/items/properties/produces_mime_types/example',
            ),
            parameters: { sbom_media_types: ['application/spdx+json', 'application/vnd.cyclonedx+json'] },
          },
        ],
      };
      assert.equal(request.artifact.mime_type, DOCKER_V2);
      const accepted = await harbor.scan(request);
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      const { id } = accepted.body as { id: string };

      // No worker runs yet: the report is not ready, and says when to ask again.
      const early = await harbor.report(id, VULNERABILITY);
      assert.equal(early.status, 302);
      assert.equal(early.headers.get('refresh-after'), '1');

      // A worker, started as `customs worker` starts, picks the job up and pulls with the credential.
      worker = await startRole({ role: 'worker', name: 'worker', dir, env });
      const { final: vulnerabilities } = await harbor.pollReport(id, VULNERABILITY, { maxPolls: MAX_POLLS });
      assert.equal(vulnerabilities.status, 200, JSON.stringify(vulnerabilities.body));
      assert.equal(vulnerabilities.contentType, VULNERABILITY);
      const report = vulnerabilities.body as HarborReport;
      assert.deepEqual(report.artifact, request.artifact);
      // What the OSV records say about the image's npm packages, read without Customs, is all there.
      const ids = new Set(report.vulnerabilities.map((item) => `${item.package}@${item.version} ${item.id}`));
      const predicted = predictNpmFindings(truth.npm);
      assert.ok(predicted.length > 0);
      for (const finding of predicted) {
        assert.ok(
          finding.names.some((name) => ids.has(`${finding.package}@${finding.version} ${name}`)),
          `${finding.package}@${finding.version} ${finding.names[0]} is missing`,
        );
      }
      assert.equal(report.severity, highest(report.vulnerabilities.map((item) => item.severity)));

      for (const [mediaType, check] of [
        ['application/spdx+json', (sbom: Record<string, unknown>) => sbom.spdxVersion === 'SPDX-2.3'],
        ['application/vnd.cyclonedx+json', (sbom: Record<string, unknown>) => sbom.bomFormat === 'CycloneDX'],
      ] as const) {
        const sbom = await harbor.report(id, SBOM, mediaType);
        assert.equal(sbom.status, 200, JSON.stringify(sbom.body));
        const body = sbom.body as { media_type: string; sbom: Record<string, unknown> };
        assert.equal(body.media_type, mediaType);
        assert.ok(check(body.sbom), `${mediaType}: ${JSON.stringify(body.sbom).slice(0, 200)}`);
      }
      // The spec's errors: no sbom_media_type (400), an unknown id (404), a report it does not write (501).
      assert.equal((await harbor.report(id, SBOM)).status, 400);
      assert.equal((await harbor.report('3fa85f64-5717-4562-b3fc-2c963f66afa6', VULNERABILITY)).status, 404);
      assert.equal((await harbor.report(id, 'application/vnd.scanner.adapter.vuln.report.raw')).status, 501);

      // A wrong credential: the registry refuses the worker, and Harbor is told the scan failed (500).
      const wrong = `Basic ${Buffer.from(`${registry.username}:not-${password}`).toString('base64')}`;
      const refused = await harbor.scan({
        ...request,
        registry: { ...request.registry, authorization: wrong },
      });
      assert.equal(refused.status, 202);
      const { final: failed } = await harbor.pollReport((refused.body as { id: string }).id, VULNERABILITY, {
        maxPolls: MAX_POLLS,
      });
      assert.equal(failed.status, 500);
      assert.match(JSON.stringify(failed.body), /REGISTRY_AUTH_FAILED/);

      // Harbor's registry only: another host is refused before anything is queued (422).
      const elsewhere = await harbor.scan({
        ...request,
        registry: { ...request.registry, url: 'https://elsewhere.example' },
      });
      assert.equal(elsewhere.status, 422);
      assert.match(JSON.stringify(elsewhere.body), /REGISTRY_NOT_CONFIGURED/);

      // Every answer was checked against the spec; each status below was seen.
      const statuses = new Set(harbor.answers.map(({ answer }) => answer.status));
      for (const status of [200, 202, 302, 400, 404, 422, 500, 501])
        assert.ok(statuses.has(status), String(status));

      await assertSecretNowhere({ password, authorization, wrong });
    },
  );

  /** Stops the processes (their last lines included), then reads every log line, row and Redis value. */
  async function assertSecretNowhere(secrets: { password: string; authorization: string; wrong: string }) {
    const values = [
      secrets.password,
      secrets.authorization.replace(/^Basic /, ''),
      secrets.wrong.replace(/^Basic /, ''),
      Buffer.from(secrets.password).toString('hex'),
    ];
    const redisClient = createRedisConnection(redis.url);
    try {
      const held = await redisValues(redisClient);
      const credentialKeys = [...held.keys()].filter((key) => key.startsWith('customs:scan-credential:'));
      // The good scan is done: its credential is gone. The refused one waits out its TTL, by design.
      assert.equal(credentialKeys.length, 1, credentialKeys.join(', '));
      assert.ok((await redisClient.ttl(credentialKeys[0] ?? '')) > 0);
      for (const [key, value] of held) {
        if (key.startsWith('customs:scan-credential:')) continue;
        for (const secret of values) assert.ok(!value.includes(secret), `Redis ${key} holds the credential`);
      }
    } finally {
      redisClient.disconnect();
    }
    const tables = await db.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = 'public'`,
    );
    assert.ok(tables.length > 5);
    for (const { name } of tables) {
      const rows = await db.query<{ row: string }>(`select t::text as row from "${name}" t`);
      for (const { row } of rows) {
        for (const secret of values) assert.ok(!row.includes(secret), `table ${name} holds the credential`);
      }
    }
    await worker?.stop();
    await api.stop();
    for (const role of [api, worker]) {
      const log = await readFile(role?.logFile ?? '', 'utf8');
      assert.ok(log.split('\n').length > 3, `${role?.name} logged nothing`);
      for (const secret of values)
        assert.ok(!log.includes(secret), `${role?.name}'s log shows the credential`);
    }
  }
});

interface HarborReport {
  artifact: unknown;
  severity: string;
  vulnerabilities: Array<{ id: string; package: string; version: string; severity: string }>;
}

const ORDER = ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical'];

function highest(severities: readonly string[]): string {
  return severities.reduce((top, one) => (ORDER.indexOf(one) > ORDER.indexOf(top) ? one : top), 'Unknown');
}

async function manifestDigest(
  registry: Registry,
  creds: { username: string; password: string },
): Promise<string> {
  const response = await fetch(`http://${registry.host}/v2/library/app/manifests/1.0`, {
    method: 'HEAD',
    headers: {
      Accept: DOCKER_V2,
      Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`,
    },
  });
  const digest = response.headers.get('docker-content-digest');
  assert.ok(response.ok && digest, `HEAD manifest: ${response.status}`);
  return digest;
}

/** Every key Redis holds, with its value(s) as one text. */
async function redisValues(redis: ReturnType<typeof createRedisConnection>): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const key of await redis.keys('*')) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'zset') value = await redis.zrange(key, '0', '-1');
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    values.set(key, JSON.stringify(value ?? null));
  }
  return values;
}
