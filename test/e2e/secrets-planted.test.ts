// The `secrets` image of test/e2e/images (plant-secrets.sh): app + a layer of credentials GENERATED at
// build time + a layer that deletes one. `customs scan` must report every planted credential with
// its layer, path and line, the deleted one as still extractable; and no output format, log line or
// database row (the CLI's PGlite data and a PGlite layer cache) may contain any of them verbatim.
// The app image itself (all of Debian's minbase files, Python, npm packages) must yield no secret.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '@customs/db';
import { createIndexer } from '@customs/indexer';
import { openTarget } from '@customs/oci';
import { createSecretScanner } from '@customs/secrets';
import { createLayerStore, migrateStore } from '@customs/store';
import { runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { OSV_FIXTURES } from '../support/osv-oracle.js';

const e2e = e2eEnvironment([]);
const FORMATS = ['json', 'table', 'sarif', 'cyclonedx', 'spdx'] as const;

interface PlantedManifest {
  files: Array<{
    ruleId: string;
    path: string;
    line: number;
    layerIndex: number;
    removedInLayer: number | null;
    values: string[];
  }>;
  config: { env: Array<{ name: string; values: string[] }> };
}

interface SecretsJson {
  layers: Array<{ digest: string }>;
  secrets?: {
    findings: Array<{
      ruleId: string;
      path: string;
      line: number;
      layerIndex: number;
      layerDigest: string;
      removedInLayer: number | null;
      match: string;
    }>;
  };
}

describe('planted secrets in the real e2e image', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const manifest = (): PlantedManifest =>
    JSON.parse(readFileSync(join(images.dir, 'planted-secrets.json'), 'utf8')) as PlantedManifest;
  /** Every planted value: key bodies line by line, tokens, the ENV password. */
  const plantedValues = () => [
    ...manifest().files.flatMap((file) => file.values),
    ...manifest().config.env.flatMap((env) => env.values),
  ];
  let dbDir = '';
  const outputs = new Map<string, string>();

  before(async () => {
    dbDir = await mkdtemp(join(tmpdir(), 'customs-e2e-secrets-db-'));
    const imported = await runCustoms(['db', 'import', OSV_FIXTURES, '--db-dir', dbDir]);
    assert.equal(imported.code, 0, imported.stderr);
    for (const format of FORMATS) {
      const result = await runCustoms([
        'scan',
        `${images.layout}:secrets`,
        '--format',
        format,
        '--db-dir',
        dbDir,
      ]);
      assert.equal(result.code, 0, result.stderr);
      outputs.set(format, result.stdout);
      outputs.set(`${format} stderr`, result.stderr);
    }
  });
  after(() => rm(dbDir, { recursive: true, force: true }));

  test('every planted credential is reported in its layer, path and line; the deleted key as still extractable', () => {
    const scan = JSON.parse(outputs.get('json') ?? '{}') as SecretsJson;
    const found = (scan.secrets?.findings ?? []).map((f) => [
      f.ruleId,
      f.path,
      f.line,
      f.layerIndex,
      f.removedInLayer,
    ]);
    const planted = manifest().files.map((f) => [f.ruleId, f.path, f.line, f.layerIndex, f.removedInLayer]);
    const order = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
    assert.deepEqual(order(found), order(planted));
    for (const finding of scan.secrets?.findings ?? []) {
      assert.equal(finding.layerDigest, scan.layers[finding.layerIndex]?.digest);
      assert.match(finding.match, /^.{0,4}\*{4}$/);
    }
    const deleted = manifest().files.find((file) => file.removedInLayer !== null);
    assert.ok(deleted);
    assert.match(
      outputs.get('table') ?? '',
      new RegExp(
        `${deleted.path}:1 .* removed in layer ${deleted.removedInLayer} \\(still extractable from layer ${deleted.layerIndex}\\)`,
      ),
    );
    const sarif = JSON.parse(outputs.get('sarif') ?? '{}');
    const sarifSecrets = sarif.runs[0].results.filter((r: { ruleId: string }) =>
      r.ruleId.startsWith('secret/'),
    );
    assert.equal(sarifSecrets.length, planted.length);
  });

  test('the image config runs as root and holds the planted ENV secret: both are config findings, the value redacted', () => {
    const scan = JSON.parse(outputs.get('json') ?? '{}') as {
      configFindings?: Array<{ id: string; detail: string; location: string }>;
    };
    const findings = scan.configFindings ?? [];
    assert.ok(
      findings.some((finding) => finding.id === 'CFG001'),
      'runs as root (no USER) is reported',
    );
    for (const env of manifest().config.env) {
      const found = findings.find((finding) => finding.id === 'CFG002' && finding.detail.includes(env.name));
      assert.ok(found, `${env.name} in ENV is reported`);
      assert.match(found.location, /^config\.Env\[\d+\]$/);
      for (const value of env.values) assert.ok(!found.detail.includes(value), 'the value is redacted');
    }
  });

  test('no output format and no log line carries a planted value verbatim', () => {
    const values = plantedValues();
    assert.ok(values.length >= 8, 'the manifest lists the key bodies and every token');
    for (const [name, text] of outputs) {
      const leaked = values.filter((value) => text.includes(value));
      assert.deepEqual(
        leaked.map((value) => `${value.slice(0, 4)}…`),
        [],
        `${name} leaks a planted value`,
      );
    }
  });

  test('no database row carries one: the CLI database and a layer cache holding the secret results', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'customs-e2e-secrets-cache-'));
    const cache = await openDatabase({ dataDir: cacheDir });
    try {
      await migrateStore(cache);
      const source = await openTarget(`${images.layout}:secrets`);
      const [image] = await source.resolve({ kind: 'all' });
      assert.ok(image);
      const indexer = createIndexer({ cache: createLayerStore(cache), secrets: createSecretScanner() });
      const first = await indexer.index(image);
      const cached = await indexer.index(image);
      await source.close();
      assert.deepEqual(cached.secrets, first.secrets, 'read back from the layer cache');
      assert.equal(first.secrets?.findings.length, manifest().files.length);
      const cli = await openDatabase({ dataDir: dbDir });
      try {
        for (const db of [cache, cli]) {
          const dump = await dumpAllTables(db);
          assert.ok(dump.includes('"secrets"') || db === cli, 'the layer cache holds the secret results');
          const leaked = plantedValues().filter((value) => dump.includes(value));
          assert.deepEqual(
            leaked.map((value) => `${value.slice(0, 4)}…`),
            [],
            `${db.location} leaks`,
          );
        }
      } finally {
        await cli.close();
      }
    } finally {
      await cache.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  test('--scanners vuln leaves secrets out; --skip-secret-path counts what it skips; an unknown scanner is a usage error', async () => {
    const scan = (...args: string[]) =>
      runCustoms(['scan', `${images.layout}:secrets`, '--format', 'json', '--db-dir', dbDir, ...args]);
    const vulnOnly = await scan('--scanners', 'vuln');
    assert.equal(vulnOnly.code, 0, vulnOnly.stderr);
    assert.equal((JSON.parse(vulnOnly.stdout) as SecretsJson).secrets, undefined);
    const skipped = await scan('--skip-secret-path', 'root', '--skip-secret-path', '/etc/ssl/');
    assert.equal(skipped.code, 0, skipped.stderr);
    const section = (
      JSON.parse(skipped.stdout) as SecretsJson & { secrets: { skipped: { skippedPath: number } } }
    ).secrets;
    assert.deepEqual(
      section.findings.map((f) => f.path),
      ['app/.env'],
    );
    assert.ok(section.skipped.skippedPath >= 4, 'root/.ssh, root/.aws and etc/ssl files were counted');
    const bogus = await scan('--scanners', 'vuln,bogus');
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /unknown scanner "bogus"/);
  });

  test('false positives: the app image (all Debian minbase files, Python, npm packages) has no secret', async () => {
    const result = await runCustoms(['scan', `${images.layout}:app`, '--format', 'json', '--db-dir', dbDir]);
    assert.equal(result.code, 0, result.stderr);
    const scan = JSON.parse(result.stdout) as SecretsJson & { secrets: { scannedFiles: number } };
    assert.deepEqual(scan.secrets?.findings, []);
    assert.ok(scan.secrets.scannedFiles > 1000, 'the text files of every layer were read');
  });
});

/** Every row of every table, as JSON text, whatever schema holds it. */
async function dumpAllTables(db: Database): Promise<string> {
  const tables = await db.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
  );
  assert.ok(tables.length > 0);
  const parts: string[] = [];
  for (const { schema, name } of tables) {
    const rows = await db.query<{ row: string }>(
      `select row_to_json(t)::text as row from "${schema}"."${name}" t`,
    );
    parts.push(...rows.map((row) => row.row));
  }
  return parts.join('\n');
}
