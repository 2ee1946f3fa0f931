import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ThrowawayCluster {
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * A private PostgreSQL cluster (initdb --auth=trust) on a free loopback port, for machines where no
 * test server runs. initdb refuses to run as root, so as root the cluster belongs to `postgres`.
 */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = await postgresBinDir();
  const root = await mkdtemp(join(tmpdir(), 'customs-pg-'));
  const data = join(root, 'data');
  const asOwner = await ownerRunner(root);
  const port = await freePort();
  await asOwner(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await asOwner(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(root, 'server.log'),
    '-w',
    '-o',
    serverOptions,
    'start',
  ]);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function postgresBinDir(): Promise<string> {
  const debianRoot = '/usr/lib/postgresql';
  const versions = await readdir(debianRoot).catch(() => []);
  const newest = versions.filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return join(debianRoot, newest, 'bin');
  const { stdout } = await run('pg_config', ['--bindir']);
  return stdout.trim();
}

type Runner = (file: string, args: string[]) => Promise<unknown>;

async function ownerRunner(root: string): Promise<Runner> {
  if (process.getuid?.() !== 0) return (file, args) => run(file, args);
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  await chown(root, uid, gid);
  return (file, args) => run('runuser', ['-u', 'postgres', '--', file, ...args]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
