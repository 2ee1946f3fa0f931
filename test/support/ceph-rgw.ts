import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './daemon.js';
import { onPath, REPO_ROOT } from './e2e-environment.js';

const run = promisify(execFile);
const SCRIPT = join(REPO_ROOT, 'test', 'support', 'ceph-rgw.sh');

/** What ceph-rgw.sh runs; Debian's ceph-mon, ceph-osd, radosgw and ceph-common ship them. */
export const CEPH_TOOLS = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'monmaptool'] as const;

/** Why the Ceph tests cannot run here (a reason node:test prints), or false when they can. */
export function cephMissing(): string | false {
  const missing = CEPH_TOOLS.filter((tool) => !onPath(tool));
  return missing.length === 0
    ? false
    : `Ceph is not installed (missing ${missing.join(', ')}): run test/install-deps.sh`;
}

/** A single-node Ceph cluster whose RADOS Gateway serves S3 on loopback, living in `dir`. */
export interface CephRgw {
  /** `http://127.0.0.1:<port>`, path-style S3. */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** SIGKILLs the gateway: the S3 server dies as a crashed one would (the cluster stays). */
  killGateway(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCephRgw(dir: string): Promise<CephRgw> {
  const credentials = { accessKeyId: 'customse2eaccess', secretAccessKey: 'customs-e2e-secret-0123456789' };
  const rgwPort = await freePort();
  const env = {
    ...process.env,
    RGW_PORT: String(rgwPort),
    MON_PORT: String(await freePort()),
    S3_ACCESS_KEY: credentials.accessKeyId,
    S3_SECRET_KEY: credentials.secretAccessKey,
  };
  try {
    await run('bash', [SCRIPT, 'start', dir], { env, timeout: 120_000 });
  } catch (error) {
    await run('bash', [SCRIPT, 'stop', dir], { env }).catch(() => undefined);
    const { stderr } = error as { stderr?: string };
    throw new Error(`Ceph RGW did not start (logs in ${dir}/log): ${stderr ?? String(error)}`);
  }
  return {
    endpoint: `http://127.0.0.1:${rgwPort}`,
    credentials,
    async killGateway() {
      const pid = Number((await readFile(join(dir, 'rgw.pid'), 'utf8')).trim());
      process.kill(pid, 'SIGKILL');
    },
    stop: async () => {
      await run('bash', [SCRIPT, 'stop', dir], { env });
    },
  };
}
