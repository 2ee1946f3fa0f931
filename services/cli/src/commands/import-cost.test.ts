import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOOKS = new URL('../test-support/record-loads.js', import.meta.url).href;
const RUN_IN_PROCESS = new URL('../test-support/run-in-process.js', import.meta.url).href;

/** The PostgreSQL driver, the AWS SDK and the SQLite engine: hundreds of milliseconds to load. */
const HEAVY = /\/node_modules\/(pg|pg-[^/]+|@aws-sdk\/[^/]+|sql\.js)\//;

const POLICY_INVENTORY_VERSION = `
    await import('@customs/policy');
    const inventory = await runInProcess(['inventory', '--help']);
    const version = await runInProcess(['version', 'compare', 'npm', '1.0.0', '1.0.1']);`;

/**
 * In a fresh node process: import @customs/policy, then run `customs inventory --help` and
 * `customs version compare` through the CLI entry. Returns every module URL or path it loaded (ESM
 * through resolve hooks, CommonJS through the require cache) and what the commands printed.
 */
function loadsOf(work = POLICY_INVENTORY_VERSION): { loaded: string[]; printed: string } {
  const dir = mkdtempSync(join(tmpdir(), 'customs-import-cost-'));
  const log = join(dir, 'resolved.txt');
  const script = `
    import { register, createRequire } from 'node:module';
    import { appendFileSync } from 'node:fs';
    register(${JSON.stringify(HOOKS)}, { data: ${JSON.stringify(log)} });
    const { runInProcess } = await import(${JSON.stringify(RUN_IN_PROCESS)});
    ${work}
    const required = Object.keys(createRequire(process.cwd() + '/').cache);
    appendFileSync(${JSON.stringify(log)}, required.map((path) => path + '\\n').join(''));
    process.stdout.write(inventory.code + ' ' + inventory.stdout + version.code + ' ' + version.stdout);
  `;
  try {
    const printed = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: CLI_ROOT,
      encoding: 'utf8',
    });
    return { loaded: readFileSync(log, 'utf8').split('\n').filter(Boolean), printed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('@customs/policy, `customs inventory` and `customs version` load neither pg, the AWS SDK nor sql.js', () => {
  const { loaded, printed } = loadsOf();
  assert.match(printed, /^0 usage: customs inventory /, 'the inventory command ran');
  assert.match(printed, /0 <\n$/, 'the version command ran');
  // The hooks did see the loads: the policy package and the inventory command are among them.
  assert.ok(loaded.some((url) => url.endsWith('/packages/policy/dist/index.js')));
  assert.ok(loaded.some((url) => url.endsWith('/services/cli/dist/commands/inventory.js')));
  assert.deepEqual(
    loaded.filter((url) => HEAVY.test(url)),
    [],
  );
});

test('`customs inventory --help` answers without the registry client, the indexer or the report renderers', () => {
  const { loaded, printed } = loadsOf(`
    const inventory = await runInProcess(['inventory', '--help']);
    const version = { code: 0, stdout: '' };`);
  assert.match(printed, /^0 usage: customs inventory /);
  assert.ok(loaded.some((url) => url.endsWith('/packages/oci/dist/platform.js')));
  assert.deepEqual(
    loaded.filter((url) =>
      /\/packages\/(indexer|report|inventory|layers)\/|\/packages\/oci\/dist\/index\.js|\/node_modules\/undici\//.test(
        url,
      ),
    ),
    [],
  );
});

test('`customs version compare npm` loads the semver scheme only, not the other nine nor the error table', () => {
  const { loaded, printed } = loadsOf(`
    const inventory = { code: 0, stdout: '' };
    const version = await runInProcess(['version', 'compare', 'npm', '1.0.0', '1.0.1']);`);
  assert.equal(printed, '0 0 <\n');
  const schemeModules = new Set(
    loaded
      .filter((url) => url.includes('/packages/versions/dist/schemes/'))
      .map((url) => url.split('/').pop()),
  );
  assert.deepEqual([...schemeModules].sort(), ['semver-precedence.js', 'semver.js']);
  assert.ok(loaded.includes('node:util'), 'the hooks saw node: imports');
  assert.ok(!loaded.includes('node:readline'), 'readline is for stdin mode only');
  // The package roots import every scheme and the whole table of error codes.
  assert.deepEqual(
    loaded.filter((url) =>
      /\/packages\/(versions\/dist\/(index|ecosystems)|errors\/dist\/(index|codes))\.js$/.test(url),
    ),
    [],
  );
});

test('`customs inventory <docker save archive>` loads neither the registry client nor the SBOM and SARIF writers', () => {
  const archive = fileURLToPath(
    new URL('../../../../test/fixtures/oci/skopeo-tiny.docker-archive.tar', import.meta.url),
  );
  const { loaded, printed } = loadsOf(`
    const inventory = await runInProcess(['inventory', ${JSON.stringify(archive)}, '--format', 'json']);
    const version = { code: 0, stdout: '' };`);
  assert.match(printed, /^0 \{/, 'the inventory ran');
  assert.ok(loaded.some((url) => url.endsWith('/packages/indexer/dist/index.js')));
  assert.deepEqual(
    loaded.filter((url) =>
      /\/packages\/oci\/dist\/registry\/|\/node_modules\/(undici|@cyclonedx\/[^/]+|ajv)\/|\/packages\/report\/dist\/(index|cyclonedx|spdx|sarif)\.js/.test(
        url,
      ),
    ),
    [],
  );
});
