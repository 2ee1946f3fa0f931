// Vulnerability data that keeps itself current, end to end: an HTTPS mirror on loopback (self-signed
// CA trusted through NODE_EXTRA_CA_CERTS) publishing the real records of test/fixtures/osv the way
// OSV's exporter does; `customs scan` with a fresh cache fills its database from it; the database then
// travels as an OCI artifact through a real registry to a second, empty database.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildExport,
  readRecords,
  selfSignedCertificate,
  startMirror,
  type MirrorServer,
} from '@customs/vulndb/testing';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';
import { useRegistry } from '../support/use-registry.js';

const e2e = e2eEnvironment();

describe('customs scan and db update against a mirror', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const registry = useRegistry({ auth: 'none' });
  let scratch = '';
  let mirror: MirrorServer;
  let env: Record<string, string> = {};

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'customs-e2e-dbupdate-'));
    const tls = await selfSignedCertificate(scratch);
    mirror = await startMirror(buildExport(await readRecords(OSV_FIXTURES)), tls);
    // Upstream off: nothing may leave the machine even when the mirror fails.
    env = { NODE_EXTRA_CA_CERTS: tls.certFile, CUSTOMS_DB_MIRROR: mirror.url, CUSTOMS_DB_UPSTREAM: 'off' };
  });
  after(async () => {
    await mirror.close();
    await rm(scratch, { recursive: true, force: true });
  });

  test('with a fresh cache, scan updates the database from the mirror itself and reports findings', async () => {
    const cache = join(scratch, 'cache-a');
    const result = await runCustoms(['scan', `${images.layout}:app`, '--format', 'json'], {
      env: { ...env, XDG_CACHE_HOME: cache },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /vulnerability database is empty; fetching it from https:\/\/127\.0\.0\.1/);
    const document = JSON.parse(result.stdout) as { findings: Array<{ id: string }> };
    assert.ok(document.findings.length > 0, 'findings reported');
    // Only the ecosystems the image uses were fetched: Debian, PyPI, npm and Go (the registry binary in
    // /usr/local/bin is a Go program); crates.io, Maven, RubyGems and Alpine are published but not asked for.
    const zips = mirror.requests.filter((r) => r.path.endsWith('all.zip')).map((r) => r.path.split('/')[0]);
    assert.deepEqual([...new Set(zips)].sort(), ['Debian', 'Go', 'PyPI', 'npm']);

    const again = await runCustoms(['scan', `${images.layout}:app`, '--format', 'json'], {
      env: { ...env, XDG_CACHE_HOME: cache },
    });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /fetching|updating/, 'fresh data is not fetched again');
  });

  test('--offline with no data fails with one line saying what to run', async () => {
    const result = await runCustoms(['scan', `${images.layout}:app`, '--offline'], {
      env: { ...env, XDG_CACHE_HOME: join(scratch, 'cache-offline') },
    });
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0] ?? '',
      /holds no advisories and --offline forbids fetching them.*customs db update/,
    );
  });

  test('a bundle pushed to a registry as an OCI artifact and pulled into an empty database has the same counts', async () => {
    const source = join(scratch, 'db-source');
    const update = await runCustoms(
      [
        'db',
        'update',
        '--db-dir',
        source,
        '--ecosystem',
        'Debian',
        '--ecosystem',
        'Go',
        '--ecosystem',
        'npm',
      ],
      { env },
    );
    assert.equal(update.code, 0, update.stderr);
    const reference = `${registry().host}/customs/vulndb:1`;
    const push = await runCustoms(['db', 'push', reference, '--db-dir', source]);
    assert.equal(push.code, 0, push.stderr);
    const target = join(scratch, 'db-target');
    const pull = await runCustoms(['db', 'pull', reference, '--db-dir', target]);
    assert.equal(pull.code, 0, pull.stderr);
    const counts = async (dir: string) => {
      const status = await runCustoms(['db', 'status', '--db-dir', dir, '--format', 'json']);
      assert.equal(status.code, 0, status.stderr);
      const document = JSON.parse(status.stdout) as { advisories: number; ecosystems: unknown[] };
      return {
        advisories: document.advisories,
        ecosystems: document.ecosystems.map((e) => ({ ...(e as object), lastImport: null })),
      };
    };
    const expected = await counts(source);
    assert.ok(expected.advisories > 0);
    assert.deepEqual(await counts(target), expected);
  });
});
