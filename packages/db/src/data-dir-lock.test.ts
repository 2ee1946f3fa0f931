import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isCustomsError } from '@customs/errors';
import { LOCK_FILE, lockDataDir } from './data-dir-lock.js';
import { openDatabase } from './open-database.js';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'customs-lock-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('lockDataDir', () => {
  it('refuses a directory held by a running process and names the directory and the pid', async () => {
    const dir = join(scratch, 'held');
    // Our parent process is alive for as long as we run: a lock file naming it is a live lock.
    await lockDataDir(dir, process.ppid);
    await assert.rejects(lockDataDir(dir), (error) => {
      assert.ok(isCustomsError(error, 'DB_LOCKED'));
      assert.equal(
        error.message,
        `the database directory ${dir} is in use by another process (pid ${process.ppid})`,
      );
      assert.match(error.hint ?? '', /--db-dir/);
      return true;
    });
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = join(scratch, 'stale');
    const gone = await exitedPid();
    await lockDataDir(dir, gone);
    const lock = await lockDataDir(dir);
    assert.equal(await readFile(join(dir, LOCK_FILE), 'utf8'), `${process.pid}\n`);
    await lock.release();
  });

  it('can be taken again after release', async () => {
    const dir = join(scratch, 'released');
    const first = await lockDataDir(dir);
    await first.release();
    const second = await lockDataDir(dir);
    await second.release();
  });

  it('treats an unreadable lock file as stale', async () => {
    const dir = join(scratch, 'garbage');
    const lock = await lockDataDir(dir);
    await writeFile(join(dir, LOCK_FILE), 'not a pid');
    const again = await lockDataDir(dir);
    await again.release();
    await lock.release();
  });
});

describe('PGlite opened by two processes', () => {
  it('fails in the second process with DB_LOCKED while the first has it open', async () => {
    const dir = join(scratch, 'shared');
    const child = await holdDatabaseInChild(dir);
    try {
      await assert.rejects(openDatabase({ dataDir: dir }), (error) => {
        assert.ok(isCustomsError(error, 'DB_LOCKED'));
        assert.match(error.message, new RegExp(`${dir} is in use by another process \\(pid ${child.pid}\\)`));
        return true;
      });
    } finally {
      child.kill();
    }
  });
});

function exitedPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('exit', () => resolve(child.pid ?? 0));
  });
}

/** A real second process that opens the database and keeps it open until killed. */
function holdDatabaseInChild(dataDir: string): Promise<{ pid: number; kill: () => void }> {
  const entry = fileURLToPath(new URL('./open-database.js', import.meta.url));
  const script = `import(${JSON.stringify(entry)}).then(async ({ openDatabase }) => {
    await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
    process.stdout.write('open\\n');
    setInterval(() => {}, 1000);
  });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve({ pid: child.pid ?? 0, kill: () => child.kill('SIGKILL') }));
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before opening the database`)));
  });
}
