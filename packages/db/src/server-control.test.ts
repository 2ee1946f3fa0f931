import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { DatabaseLockedError } from './errors.js';
import {
  readServerControl,
  removeServerControl,
  SERVER_CONTROL_FILE,
  serverHoldingLock,
  writeServerControl,
  type ServerControl,
} from './server-control.js';

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'customs-control-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// Our parent process is alive for as long as we run: it stands in for a running `customs serve`.
const server = (pid = process.ppid): ServerControl => ({
  pid,
  url: 'http://127.0.0.1:8080',
  tokenId: '5b0c6a53-2f0e-4a51-9f7e-0f3d1c1a2b3c',
  token: 'cst_secret',
});

describe('server control file', () => {
  it('is written owner-only and read back as written, with no draft left behind', async () => {
    const dir = await mkdtemp(join(scratch, 'write-'));
    await writeServerControl(dir, server());
    assert.equal((await stat(join(dir, SERVER_CONTROL_FILE))).mode & 0o777, 0o600);
    assert.deepEqual(await readServerControl(dir), server());
    assert.deepEqual(await readdir(dir), [SERVER_CONTROL_FILE]);
  });

  it('is absent as null, and malformed as DB_SERVER_CONTROL_INVALID naming the file', async () => {
    const dir = await mkdtemp(join(scratch, 'bad-'));
    assert.equal(await readServerControl(dir), null);
    await writeFile(
      join(dir, SERVER_CONTROL_FILE),
      JSON.stringify({ ...server(), url: 'http://example.com' }),
    );
    await assert.rejects(readServerControl(dir), (error) => {
      assert.ok(isCustomsError(error, 'DB_SERVER_CONTROL_INVALID'));
      assert.match(error.message, new RegExp(SERVER_CONTROL_FILE));
      return true;
    });
  });

  it('names the server only when the lock holder is the process that wrote it', async () => {
    const dir = await mkdtemp(join(scratch, 'holder-'));
    await writeServerControl(dir, server());
    assert.deepEqual(await serverHoldingLock(new DatabaseLockedError(dir, process.ppid)), server());
    // Another process (say a `customs db import`) holds the lock: the control file is not its.
    assert.equal(await serverHoldingLock(new DatabaseLockedError(dir, process.pid)), null);
  });

  it('is removed only by the process that wrote it', async () => {
    const dir = await mkdtemp(join(scratch, 'remove-'));
    await writeServerControl(dir, server());
    await removeServerControl(dir, process.pid);
    assert.deepEqual(await readServerControl(dir), server(), 'not ours: kept');
    await removeServerControl(dir, process.ppid);
    assert.equal(await readServerControl(dir), null);
  });
});
