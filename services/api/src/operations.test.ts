import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { CONTRACT_PATH } from './contract/load-contract.js';
import { type Harness } from './test-support/api-harness.js';
import { assertContract } from './test-support/contract-check.js';
import { startSeeded, type Seeded } from './test-support/seeded.js';

let seeded: Seeded;
let harness: Harness;
let app: Seeded['app'];

before(async () => {
  seeded = await startSeeded();
  ({ harness, app } = seeded);
});
after(() => seeded.close());

describe('open operations', () => {
  it('serves health, the contract and its browsable docs without a token', async () => {
    const health = await request(app).get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const contract = await request(app).get('/openapi.yaml');
    assert.equal(contract.status, 200);
    assert.match(contract.headers['content-type'] ?? '', /^application\/yaml/);
    assert.equal(contract.text, readFileSync(CONTRACT_PATH, 'utf8'));
    const docs = await request(app).get('/docs');
    assert.equal(docs.status, 200);
    assert.match(docs.text, /docs\/assets\/swagger-ui-bundle\.js/);
    const bundle = await request(app).get('/docs/assets/swagger-ui-bundle.js');
    assert.equal(bundle.status, 200);
    assert.ok(bundle.text.length > 100_000);
    const init = await request(app).get('/docs/init.js');
    assert.match(init.text, /url: 'openapi\.yaml'/);
  });

  it('serves the docs at /docs/ too: a redirect to /docs, where everything the page names is found', async () => {
    const slash = await request(app).get('/docs/');
    assert.equal(slash.status, 301);
    const location = slash.headers.location ?? '';
    assert.equal(new URL(location, 'http://customs.test/docs/').pathname, '/docs');
    assert.equal(new URL(location, 'http://customs.test/api/docs/').pathname, '/api/docs');
    const page = new URL('http://customs.test/docs');
    const docs = await request(app).get(page.pathname);
    assert.equal(docs.status, 200);
    const named = [...docs.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    assert.equal(named.length, 4);
    const init = await request(app).get(new URL('docs/init.js', page).pathname);
    const spec = /url: '([^']+)'/.exec(init.text)?.[1] ?? '';
    for (const url of [...named, spec]) {
      const found = await request(app).get(new URL(url, page).pathname);
      assert.equal(found.status, 200, `${url} from ${page.pathname}`);
    }
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await request(app).get('/v1/nothing-here');
    assert.equal(response.status, 404);
    assert.deepEqual(response.body, {
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: 'no operation GET /v1/nothing-here',
        hint: 'see /docs for every operation',
      },
    });
  });

  it('reports metrics from shared state: the same figures from any process', async () => {
    for (const [source, outcome] of [
      ['harbor', 'enqueued'],
      ['harbor', 'enqueued'],
      ['distribution', 'rejected'],
    ] as const) {
      await harness.store.deliveries.record({ source, outcome });
    }
    const scrape = async (target: ReturnType<Harness['app']>) => {
      const response = await request(target).get('/metrics');
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'] ?? '', /^text\/plain; version=0\.0\.4/);
      return response.text;
    };
    const text = await scrape(app);
    const line = (name: string) =>
      text
        .split('\n')
        .find((candidate) => candidate.startsWith(name))
        ?.slice(name.length + 1);
    assert.equal(line('customs_webhook_deliveries{source="harbor",outcome="enqueued"}'), '2');
    assert.equal(line('customs_webhook_deliveries{source="distribution",outcome="rejected"}'), '1');
    // Two scans finished in this file, through the worker's run-and-publish over one layer cache: goof
    // fetches its two layers; multi finds goof's two and base's one (goof's Debian layer) cached.
    assert.equal(line('customs_scans_recent{status="done"}'), '2');
    assert.equal(line('customs_scans_recent{status="failed"}'), '0');
    assert.equal(line('customs_scan_layers_recent{source="cache"}'), '3');
    assert.equal(line('customs_scan_layers_recent{source="registry"}'), '2');
    assert.equal(line('customs_layer_cache_hit_ratio'), '0.6');
    const summary = await harness.store.scans.summary(3600);
    assert.equal(
      Number(line('customs_scan_duration_seconds{quantile="0.99"}')),
      Math.max(...summary.durationsSeconds),
    );
    const depth = await harness.queues.depth();
    assert.equal(line('customs_queue_jobs{queue="scan",state="waiting"}'), String(depth.scan.waiting));
    assert.equal(line('customs_queue_jobs{queue="rescan",state="waiting"}'), String(depth.rescan.waiting));
    assert.equal(line('customs_metrics_source_up{source="redis"}'), '1');
    assert.equal(line('customs_metrics_source_up{source="postgres"}'), '1');
    assert.equal(await scrape(harness.app()), text, 'another process reports the same');
  });

  // Last: Redis does not come back.
  it('is ready while PostgreSQL and Redis answer, and 503 naming Redis once it is stopped', async () => {
    const ready = await request(app).get('/readyz');
    assert.equal(ready.status, 200);
    assertContract('getReadiness', 200, ready.body);
    assert.deepEqual(ready.body, {
      status: 'ready',
      checks: { postgres: { ok: true }, redis: { ok: true } },
      down: [],
    });
    await harness.redis.kill();
    const started = Date.now();
    const down = await request(app).get('/readyz');
    assert.equal(down.status, 503);
    assertContract('getReadiness', 503, down.body);
    assert.equal(down.body.status, 'unavailable');
    assert.deepEqual(down.body.down, ['redis']);
    assert.deepEqual(down.body.checks.postgres, { ok: true });
    assert.equal(down.body.checks.redis.ok, false);
    assert.match(down.body.checks.redis.error, /Redis did not answer within 500 ms/);
    assert.ok(Date.now() - started < 2_000);
    const metrics = await request(app).get('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /customs_metrics_source_up\{source="redis"\} 0/);
    assert.match(metrics.text, /customs_webhook_deliveries\{source="harbor",outcome="enqueued"\} 2/);
  });
});
