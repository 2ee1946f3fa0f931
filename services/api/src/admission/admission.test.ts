import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadServiceConfig, type ServiceConfigInput } from '@customs/config';
import type { TagResolver } from '@customs/scans';
import type express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { createApiApp } from '../app.js';
import {
  DEFAULT_POLICY,
  registryConfig,
  startHarness,
  TEST_TUNING,
  type Harness,
} from '../test-support/api-harness.js';
import { assertContract } from '../test-support/contract-check.js';
import {
  EXPRESS_RECORDS,
  importRecords,
  MORE_RECORDS,
  REPOSITORY,
  scanFixture,
  serveFixtureImages,
  type FixtureImages,
} from '../test-support/fixture-images.js';

type Kind = 'Pod' | 'Deployment' | 'CronJob';
type Review = {
  apiVersion: string;
  kind: string;
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; reason: string; message: string };
    warnings?: string[];
    auditAnnotations?: Record<string, string>;
  };
};

const POLICY = { ...DEFAULT_POLICY, unknownSeverity: 'MEDIUM' as const };

function podSpec(images: {
  containers: string[];
  initContainers?: string[];
  ephemeralContainers?: string[];
}) {
  const list = (names: string[] | undefined, prefix: string) =>
    names?.map((image, index) => ({ name: `${prefix}${index}`, image }));
  return {
    containers: list(images.containers, 'app'),
    ...(images.initContainers && { initContainers: list(images.initContainers, 'init') }),
    ...(images.ephemeralContainers && { ephemeralContainers: list(images.ephemeralContainers, 'debug') }),
  };
}

/** The object each kind is, with the pod spec where that kind keeps it. */
function workload(kind: Kind, spec: ReturnType<typeof podSpec>) {
  const metadata = { name: `my-${kind.toLowerCase()}` };
  const template = { metadata: { labels: { app: 'x' } }, spec };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata, spec };
  if (kind === 'Deployment')
    return {
      apiVersion: 'apps/v1',
      kind,
      metadata,
      spec: { selector: { matchLabels: { app: 'x' } }, template },
    };
  return {
    apiVersion: 'batch/v1',
    kind,
    metadata,
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } },
  };
}

let uids = 0;
function review(
  kind: Kind,
  namespace: string,
  spec: ReturnType<typeof podSpec>,
  extra: Record<string, unknown> = {},
) {
  const group = kind === 'Pod' ? '' : kind === 'Deployment' ? 'apps' : 'batch';
  uids += 1;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `0000-uid-${uids}`,
      kind: { group, version: 'v1', kind },
      resource: { group, version: 'v1', resource: `${kind.toLowerCase()}s` },
      namespace,
      operation: 'CREATE',
      userInfo: { username: 'kubernetes-admin' },
      object: workload(kind, spec),
      oldObject: null,
      dryRun: false,
      ...extra,
    },
  };
}

describe('POST /v1/admission', () => {
  let harness: Harness;
  let images: FixtureImages;
  let host: string;
  const digests = { fail: '', warn: '', pass: '' };
  const apps = new Map<string, express.Express>();

  function app(admission: ServiceConfigInput['admission'] = {}, resolveTag?: TagResolver): express.Express {
    const key = JSON.stringify(admission) + String(resolveTag !== undefined);
    const known = apps.get(key);
    if (known && resolveTag === undefined) return known;
    const config = loadServiceConfig({
      env: { CUSTOMS_CONFIG: 'customs.json' },
      readFile: () => JSON.stringify({ registries: [{ host, insecure: true }], admission }),
    });
    const built = createApiApp({
      config: { policy: POLICY, registries: [registryConfig(host)], admission: config.admission },
      store: harness.store,
      queues: harness.queues,
      vulnReader: harness.reader,
      logger: pino({ level: 'silent' }),
      tuning: TEST_TUNING,
      ...(resolveTag && { resolveTag }),
    });
    apps.set(key, built);
    return built;
  }

  async function send(body: unknown, target = app(MODES)): Promise<Review> {
    const answer = await request(target)
      .post('/v1/admission')
      .send(body as object);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertContract('reviewAdmission', 200, answer.body);
    return answer.body as Review;
  }

  const MODES = {
    namespaces: { 'team-*': 'warn', 'sandbox-?': 'dry-run', 'team-strict': 'enforce' },
  } as const;

  before(async () => {
    harness = await startHarness('postgres');
    images = await serveFixtureImages();
    host = images.registry.host;
    digests.fail = (await scanFixture(harness.store, images.registry, 'goof')).digest;
    digests.warn = (await scanFixture(harness.store, images.registry, 'gomod')).digest;
    digests.pass = (await scanFixture(harness.store, images.registry, 'base')).digest;
    await importRecords(harness.db, [...EXPRESS_RECORDS, ...MORE_RECORDS]);
  });
  after(async () => {
    await images.registry.close();
    await harness.close();
  });

  const ref = (tag: string) => `${host}/${REPOSITORY}:${tag}`;

  for (const kind of ['Pod', 'Deployment', 'CronJob'] as const) {
    describe(kind, () => {
      it('enforce: denies the failing image by name and why, admits the passing one, warns on warn', async () => {
        const failing = await send(review(kind, 'prod', podSpec({ containers: [ref('goof')] })));
        assert.equal(failing.response.allowed, false);
        assert.match(failing.response.uid, /^0000-uid-/);
        assert.equal(failing.response.status?.code, 403);
        const message = failing.response.status?.message ?? '';
        assert.match(message, new RegExp(`^Customs denied ${kind} prod/my-${kind.toLowerCase()}: `));
        assert.ok(message.includes(`image ${ref('goof')}`), message);
        assert.ok(
          / in app0 \((spec\.|spec\.template\.spec\.|spec\.jobTemplate\.spec\.template\.spec\.)containers\[0\]\): /.test(
            message,
          ),
          message,
        );
        assert.match(message, /fail: \d+ HIGH findings? \(failOn HIGH\)/);
        assert.match(message, /CVE-|GHSA-/);
        assert.equal(failing.response.auditAnnotations?.decision, 'denied');

        const passing = await send(review(kind, 'prod', podSpec({ containers: [ref('base')] })));
        assert.equal(passing.response.allowed, true);
        assert.deepEqual(passing.response.warnings, []);
        assert.equal(passing.response.status, undefined);

        const warned = await send(review(kind, 'prod', podSpec({ containers: [ref('gomod')] })));
        assert.equal(warned.response.allowed, true);
        assert.equal(warned.response.warnings?.length, 1);
        assert.match(
          warned.response.warnings?.[0] ?? '',
          new RegExp(`^image ${ref('gomod')} in app0 .*: warn: `),
        );
      });

      it('enforce, fail closed: denies an unscanned image and requests its scan', async () => {
        const answer = await send(review(kind, 'prod', podSpec({ containers: [ref('multi')] })));
        assert.equal(answer.response.allowed, false);
        assert.match(answer.response.status?.message ?? '', /multi .*(scan [0-9a-f-]+ is requested|pending)/);
        assert.match(answer.response.status?.message ?? '', /admission\.failMode is closed/);
        const scan = await harness.store.scans.latestFor(images.index.digest);
        assert.ok(scan, 'a scan of the unscanned image was requested');
        assert.equal(scan.status, 'queued');
        assert.equal(scan.tag, 'multi');
      });

      it('warn: admits everything, with a warning for the failing and the unscanned image', async () => {
        const spec = podSpec({ containers: [ref('goof'), ref('base')], initContainers: [ref('multi')] });
        const answer = await send(review(kind, 'team-a', spec));
        assert.equal(answer.response.allowed, true);
        assert.equal(answer.response.status, undefined);
        const warnings = answer.response.warnings ?? [];
        assert.equal(warnings.length, 2, warnings.join('\n'));
        assert.ok(
          warnings.some((text) => text.startsWith(`image ${ref('goof')}`) && text.includes('fail: ')),
        );
        assert.ok(
          warnings.some(
            (text) =>
              text.startsWith(`image ${ref('multi')}`) &&
              text.includes('init0 (spec.') &&
              text.includes('initContainers[0])'),
          ),
        );
        assert.ok(warnings.every((text) => text.length <= 256));
        assert.equal(answer.response.auditAnnotations?.decision, 'would-deny');
      });

      it('dry-run: admits everything silently and records what enforce would do', async () => {
        for (const tag of ['goof', 'base', 'multi']) {
          const answer = await send(review(kind, 'sandbox-1', podSpec({ containers: [ref(tag)] })));
          assert.equal(answer.response.allowed, true);
          assert.equal(answer.response.warnings, undefined);
          assert.equal(answer.response.auditAnnotations?.mode, 'dry-run');
          assert.equal(answer.response.auditAnnotations?.decision, tag === 'base' ? 'allowed' : 'would-deny');
        }
      });
    });
  }

  it('judges init and ephemeral containers too, and pinned digests without asking the registry', async () => {
    const spec = podSpec({
      containers: [`${host}/${REPOSITORY}@${digests.pass}`],
      ephemeralContainers: [ref('goof')],
    });
    const answer = await send(review('Pod', 'prod', spec));
    assert.equal(answer.response.allowed, false);
    assert.match(answer.response.status?.message ?? '', /debug0 \(spec\.ephemeralContainers\[0\]\)/);
    assert.doesNotMatch(answer.response.status?.message ?? '', new RegExp(digests.pass));
  });

  it('on UPDATE judges only images the old object did not run', async () => {
    const old = workload('Deployment', podSpec({ containers: [ref('goof')] }));
    const unchanged = review('Deployment', 'prod', podSpec({ containers: [ref('goof')] }), {
      operation: 'UPDATE',
      oldObject: old,
    });
    assert.equal((await send(unchanged)).response.allowed, true);
    const changed = review('Deployment', 'prod', podSpec({ containers: [ref('goof')] }), {
      operation: 'UPDATE',
      oldObject: workload('Deployment', podSpec({ containers: [ref('base')] })),
    });
    assert.equal((await send(changed)).response.allowed, false);
  });

  it('fail open: admits an unscanned image with a warning, and still denies a failing one', async () => {
    const open = app({ failMode: 'open' });
    const unscanned = await send(review('Pod', 'prod', podSpec({ containers: [ref('multi')] })), open);
    assert.equal(unscanned.response.allowed, true);
    assert.match(unscanned.response.warnings?.[0] ?? '', /multi/);
    const failing = await send(review('Pod', 'prod', podSpec({ containers: [ref('goof')] })), open);
    assert.equal(failing.response.allowed, false);
  });

  it('a dry-run request requests no scan; an unconfigured registry is unverified', async () => {
    const digest = `sha256:${'e'.repeat(64)}`;
    const dry = review('Pod', 'prod', podSpec({ containers: [`${host}/other@${digest}`] }), { dryRun: true });
    const answer = await send(dry);
    assert.equal(answer.response.allowed, false);
    assert.match(answer.response.status?.message ?? '', /dry-run request, so no scan was requested/);
    assert.equal(await harness.store.scans.latestFor(digest), null);
    const elsewhere = await send(review('Pod', 'prod', podSpec({ containers: ['quay.io/team/tool:1'] })));
    assert.match(elsewhere.response.status?.message ?? '', /registry quay\.io is not configured in Customs/);
  });

  it('answers within the deadline when the registry does not', async () => {
    const hanging: TagResolver = () => new Promise(() => undefined);
    const answer = await send(
      review('Pod', 'prod', podSpec({ containers: [ref('base')] })),
      app({ deadlineMs: 200 }, hanging),
    );
    assert.equal(answer.response.allowed, false);
    assert.match(
      answer.response.status?.message ?? '',
      /no verdict within the admission deadline \(200 ms\)/,
    );
  });

  describe('malformed reviews are denied, well-formed', () => {
    const cases: Array<[string, unknown, string | null, RegExp]> = [
      ['an array', [1, 2], null, /not a JSON object/],
      [
        'v1beta1',
        { ...review('Pod', 'p', podSpec({ containers: ['x'] })), apiVersion: 'admission.k8s.io/v1beta1' },
        'uid',
        /expected apiVersion admission\.k8s\.io\/v1/,
      ],
      [
        'no request',
        { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' },
        null,
        /request is missing/,
      ],
      [
        'no uid',
        { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { kind: { kind: 'Pod' } } },
        null,
        /uid is missing/,
      ],
      [
        'no containers',
        review('Pod', 'p', podSpec({ containers: [] }), { object: { spec: {} } }),
        'uid',
        /spec\.containers is missing/,
      ],
      [
        'an image that is not a string',
        review('Deployment', 'p', podSpec({ containers: [] }), {
          object: { spec: { template: { spec: { containers: [{ name: 'a', image: 5 }] } } } },
        }),
        'uid',
        /containers\[0\]\.image is missing/,
      ],
      [
        'a CronJob without a job template',
        review('CronJob', 'p', podSpec({ containers: [] }), { object: { spec: { schedule: 'x' } } }),
        'uid',
        /spec\.jobTemplate is not an object|jobTemplate/,
      ],
    ];
    for (const [name, body, uid, problem] of cases) {
      it(name, async () => {
        const answer = await send(body);
        assert.equal(answer.apiVersion, 'admission.k8s.io/v1');
        assert.equal(answer.kind, 'AdmissionReview');
        assert.equal(answer.response.allowed, false);
        assert.equal(answer.response.status?.code, 400);
        assert.match(answer.response.status?.message ?? '', problem);
        const sent = (body as { request?: { uid?: string } }).request?.uid;
        assert.equal(answer.response.uid, uid === null ? '' : sent);
      });
    }

    it('a body that is not JSON, or too large', async () => {
      const text = await request(app(MODES))
        .post('/v1/admission')
        .set('Content-Type', 'application/json')
        .send('{"apiVersion":');
      assert.equal(text.status, 200);
      assert.match(text.body.response.status.message, /not valid JSON/);
      const small = app({ bodyLimitBytes: 1024 });
      const large = review('Pod', 'p', podSpec({ containers: [ref('base')] }), { padding: 'x'.repeat(4096) });
      const answer = await send(large, small);
      assert.match(answer.response.status?.message ?? '', /larger than admission\.bodyLimitBytes \(1024\)/);
    });

    it('kinds and operations that run no new image are admitted', async () => {
      const service = review('Pod', 'p', podSpec({ containers: [] }), {
        kind: { group: '', version: 'v1', kind: 'Service' },
      });
      assert.equal((await send(service)).response.allowed, true);
      const deletion = review('Pod', 'p', podSpec({ containers: [ref('goof')] }), { operation: 'DELETE' });
      assert.equal((await send(deletion)).response.allowed, true);
    });
  });

  it('takes only the configured bearer token when there is one', async () => {
    const guarded = app({ token: 'admission-secret-token' });
    const body = review('Pod', 'prod', podSpec({ containers: [ref('base')] }));
    const missing = await request(guarded).post('/v1/admission').send(body);
    assert.equal(missing.status, 401);
    assertContract('reviewAdmission', 401, missing.body);
    const wrong = await request(guarded).post('/v1/admission').set('Authorization', 'Bearer nope').send(body);
    assert.equal(wrong.status, 401);
    const right = await request(guarded)
      .post('/v1/admission')
      .set('Authorization', 'Bearer admission-secret-token')
      .send(body);
    assert.equal(right.status, 200);
    assert.equal(right.body.response.allowed, true);
  });
});
