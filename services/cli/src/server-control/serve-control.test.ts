// `customs db import`, `db update`, `db status` and `customs token create` while the real `customs serve`
// has the embedded database open: they go through the server instead of failing with DB_LOCKED.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SERVER_CONTROL_FILE, writeServerControl } from '@customs/db';
import { buildExport, readRecords, selfSignedCertificate, startMirror } from '@customs/vulndb/testing';
import { runInProcess } from '../test-support/run-in-process.js';

const BIN = fileURLToPath(new URL('../../bin/customs.js', import.meta.url));
const OSV = fileURLToPath(new URL('../../../../test/fixtures/osv/', import.meta.url));
const NPM_RECORDS = join(OSV, 'npm');
const PYPI_RECORDS = join(OSV, 'pypi');

const scratch = await mkdtemp(join(tmpdir(), 'customs-serve-control-test-'));
after(() => rm(scratch, { recursive: true, force: true }));
const dataDir = join(scratch, 'cache', 'customs', 'db');
const config = join(scratch, 'customs.yaml');
await writeFile(config, 'api: { port: 0 }\nwebhook: { port: 0 }\n');

function env(): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CACHE_HOME: join(scratch, 'cache'),
    CUSTOMS_CONFIG: config,
  };
  delete base.DATABASE_URL;
  delete base.REDIS_URL;
  delete base.CUSTOMS_ADMIN_TOKEN;
  return base;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `customs <args>` as a user runs it beside the server: another process, maybe another directory. */
function customs(args: string[], cwd = scratch): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: env(),
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function columns(line: string | undefined): string[] {
  return (line ?? '').trim().split(/\s+/);
}

describe('customs db and token commands while customs serve holds the embedded database', () => {
  let serve: ChildProcessWithoutNullStreams;
  let log = '';
  let exited: Promise<number | null>;
  let api = '';

  before(async () => {
    serve = spawn(process.execPath, [BIN, 'serve'], { env: env() });
    serve.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    serve.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    exited = new Promise((resolve) => serve.on('exit', resolve));
    api = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 60_000);
      serve.on('exit', () => reject(new Error(`serve exited:\n${log}`)));
      serve.stdout.on('data', () => {
        const started = log
          .split('\n')
          .filter((line) => line.includes('"msg":"started"') && line.includes('"role":"api"'))
          .map((line) => JSON.parse(line) as { url: string });
        if (started[0] && log.includes('"role":"worker","url":null')) {
          clearTimeout(timer);
          resolve(started[0].url);
        }
      });
    });
  });
  after(async () => {
    if (serve.exitCode === null) serve.kill('SIGKILL');
  });

  let token = '';
  let statusThroughServer = '';

  it('a serve with no configuration says, once at start, what cannot work and what to set', () => {
    const warnings = log
      .split('\n')
      .filter((line) => line.includes('"level":40') && line.includes('"fix":'))
      .map((line) => JSON.parse(line) as { msg: string; fix: string });
    assert.deepEqual(
      warnings.map((warning) => warning.msg.split(':')[0]),
      [
        'no webhook source is configured',
        'no registry is configured',
        'no vulnerability data is imported',
        'no admin API token exists and CUSTOMS_ADMIN_TOKEN is not set',
      ],
    );
    assert.ok(warnings.every((warning) => warning.fix.length > 0));
  });

  it('customs db import, given a path relative to where it runs, imports through the server', async () => {
    const files = (await readdir(NPM_RECORDS)).filter((name) => name.endsWith('.json'));
    const result = await customs(['db', 'import', 'npm'], OSV);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`customs serve \\(pid ${serve.pid}\\) has ${dataDir} open`));
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^imported ${NPM_RECORDS} in \\d+\\.\\d s$`));
    // The same table the direct path prints for the same records (into a database of its own).
    const direct = await runInProcess(['db', 'import', NPM_RECORDS, '--db-dir', join(scratch, 'direct')]);
    assert.equal(direct.code, 0, direct.stderr);
    assert.deepEqual(lines.slice(1), direct.stdout.trimEnd().split('\n').slice(1));
    assert.deepEqual(columns(lines.at(-1)).slice(0, 2), ['total', String(files.length)]);
    assert.doesNotMatch(log, /cst_/, 'no token in the server log');
  });

  it('customs db status reads through the server', async () => {
    const result = await customs(['db', 'status']);
    assert.equal(result.code, 0, result.stderr);
    const files = (await readdir(NPM_RECORDS)).filter((name) => name.endsWith('.json'));
    assert.match(
      result.stdout,
      new RegExp(`^database: ${dataDir} \\(pglite\\)\\nadvisories: ${files.length}\\n`),
    );
    statusThroughServer = result.stdout;
  });

  it('customs token create makes a token through the server that the API accepts', async () => {
    const result = await customs(['token', 'create', '--name', 'ci', '--scope', 'verdicts:read']);
    assert.equal(result.code, 0, result.stderr);
    token = result.stdout.trim();
    assert.match(token, /^cst_/);
    assert.match(result.stderr, /created token [0-9a-f-]{36} \(ci: verdicts:read\); it is not shown again/);
    const status = await fetch(`${api}/v1/db`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(status.status, 200);
    const body = (await status.json()) as { advisories: number; ecosystems: Array<{ ecosystem: string }> };
    const files = (await readdir(NPM_RECORDS)).filter((name) => name.endsWith('.json'));
    assert.equal(body.advisories, files.length, 'the imported records, seen by the server');
    assert.deepEqual(
      body.ecosystems.map((entry) => entry.ecosystem),
      ['npm'],
    );
    const anonymous = await fetch(`${api}/v1/db`);
    assert.equal(anonymous.status, 401);
  });

  it('an unknown scope is refused with the same words as without a server', async () => {
    const result = await customs(['token', 'create', '--name', 'x', '--scope', 'root']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /root/);
    assert.doesNotMatch(result.stderr, /REQUEST_INVALID|contract/);
  });

  it('customs db update fetches from a loopback HTTPS mirror through the server; db status shows it', async () => {
    const tls = await selfSignedCertificate(scratch);
    const mirror = await startMirror(buildExport(await readRecords(PYPI_RECORDS)), tls);
    const args = ['db', 'update', '--mirror', mirror.url, '--no-upstream', '--ecosystem', 'PyPI'];
    try {
      // The CA file relative to where the command runs: the server reads it by its absolute path.
      const result = await customs([...args, '--ca-file', 'mirror.crt']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, new RegExp(`customs serve \\(pid ${serve.pid}\\) has ${dataDir} open`));
      assert.ok(
        mirror.requests.some((entry) => entry.path === 'PyPI/all.zip'),
        'the server fetched the export',
      );
      const lines = result.stdout.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^data version 1: \d+ advisories, \d+ changed, in \d+\.\d s$/);
      const pypi = columns(lines.find((line) => line.startsWith('osv:PyPI')));
      assert.deepEqual([pypi[1], pypi.at(-1)], ['full', mirror.url]);
      // The same table the direct path prints for the same mirror (into a database of its own).
      const direct = await runInProcess(
        [...args, '--ca-file', tls.certFile, '--db-dir', join(scratch, 'direct-update')],
        { env: { XDG_CACHE_HOME: join(scratch, 'direct-cache') } },
      );
      assert.equal(direct.code, 0, direct.stderr);
      assert.deepEqual(lines.slice(1), direct.stdout.trimEnd().split('\n').slice(1));

      const status = await customs(['db', 'status']);
      assert.equal(status.code, 0, status.stderr);
      const row = columns(status.stdout.split('\n').find((line) => line.startsWith('PyPI ')));
      assert.equal(row[1], pypi[2], 'the advisories the update imported, seen by db status');
      assert.match(status.stdout, /^data version: 1 \(update, /m);
      assert.match(status.stdout, new RegExp(`^osv:PyPI .* ${pypi[2]} .*-\\s*$`, 'm'));
      statusThroughServer = status.stdout;
    } finally {
      await mirror.close();
    }
  });

  it('on a clean stop the control file goes and its token is revoked; the work stays', async () => {
    serve.kill('SIGTERM');
    assert.equal(await exited, 0, log);
    await assert.rejects(access(join(dataDir, SERVER_CONTROL_FILE)));
    const status = await customs(['db', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.stdout, statusThroughServer, 'the same lines directly as through the server');
    assert.doesNotMatch(status.stderr, /customs serve/);
    const tokens = await customs(['token', 'list']);
    assert.equal(tokens.code, 0, tokens.stderr);
    const states = Object.fromEntries(
      tokens.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => [columns(line)[1] === 'ci' ? 'ci' : 'control', columns(line).at(-1)]),
    );
    assert.deepEqual(states, { ci: 'active', control: 'revoked' });
  });
});

describe('a lock held by something other than customs serve', () => {
  it('keeps the DB_LOCKED error, even with a control file of another process beside it', async () => {
    const dir = join(scratch, 'held');
    await mkdir(dir, { recursive: true });
    // Our parent is alive while we run: it stands in for another `customs db import`.
    await writeFile(join(dir, '.customs.lock'), `${process.ppid}\n`);
    await writeServerControl(dir, {
      pid: process.pid,
      url: 'http://127.0.0.1:1',
      tokenId: 'x',
      token: 'cst_x',
    });
    const result = await runInProcess(['db', 'import', NPM_RECORDS, '--db-dir', dir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`${dir} is in use by another process \\(pid ${process.ppid}\\)`));
    assert.doesNotMatch(result.stderr, /customs serve/);
  });
});
