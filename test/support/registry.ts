import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { freePort, startDaemon, waitForHttp, type Daemon } from './daemon.js';
import { REPO_ROOT } from './e2e-environment.js';
import {
  countBlobGets,
  countManifestGets,
  parseAccessLog,
  readSettledLog,
  type LoggedRequest,
} from './registry-log.js';
import { startTokenServer, type TokenServer } from './token-server.js';

const run = promisify(execFile);

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface RegistryOptions {
  auth: RegistryAuth;
  /**
   * Where the registry POSTs its events, with static headers (e.g. Authorization). `recommended`: the
   * endpoint settings of deploy/registry/config.yml (what the README recommends) instead of ours.
   */
  notifications?: { url: string; headers?: Record<string, string>; recommended?: boolean };
}

/** A real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1, with its own storage. */
export interface Registry {
  /** `127.0.0.1:PORT`, the host part of image references. */
  host: string;
  auth: RegistryAuth;
  /** Set for 'basic' and 'token'. */
  username?: string;
  password?: string;
  pid: number;
  logFile: string;
  configFile: string;
  /** The in-process token issuer of a 'token' registry, with every token request it saw. */
  tokenServer: TokenServer | null;
  /** Every request in the access log so far. */
  requests(): Promise<LoggedRequest[]>;
  /** Successful blob GETs per digest. */
  blobGets(): Promise<Map<string, number>>;
  /** Successful manifest GETs per reference (tag or digest). */
  manifestGets(): Promise<Map<string, number>>;
  /** Kills the registry by PID and waits for it, closes the token server, deletes the storage. */
  stop(): Promise<void>;
}

const PORT_ATTEMPTS = 3;

export async function startRegistry(options: RegistryOptions): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), `customs-e2e-registry-${options.auth}-`));
  const credentials =
    options.auth === 'none'
      ? null
      : { username: 'customs', password: `e2e-${randomBytes(6).toString('hex')}` };
  const tokenServer = await authBackend(options.auth, dir, credentials);
  try {
    const { daemon, host, configFile } = await serve(dir, options, tokenServer);
    return handle({ daemon, host, configFile, dir, auth: options.auth, credentials, tokenServer });
  } catch (error) {
    await tokenServer?.close();
    throw error;
  }
}

async function authBackend(
  auth: RegistryAuth,
  dir: string,
  credentials: { username: string; password: string } | null,
): Promise<TokenServer | null> {
  if (credentials === null) return null;
  if (auth === 'basic') {
    const { stdout } = await run('htpasswd', ['-Bbn', credentials.username, credentials.password]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    return null;
  }
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  const selfSigned = 'req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=customs-e2e-token-issuer'.split(
    ' ',
  );
  await run('openssl', [...selfSigned, '-keyout', keyFile, '-out', certFile]);
  return startTokenServer({ keyFile, certFile, ...credentials });
}

function registryConfig(
  dir: string,
  port: number,
  options: RegistryOptions,
  tokenServer: TokenServer | null,
): object {
  const auth =
    options.auth === 'basic'
      ? { htpasswd: { realm: 'customs-e2e', path: join(dir, 'htpasswd') } }
      : tokenServer
        ? {
            token: {
              realm: tokenServer.realm,
              service: tokenServer.service,
              issuer: tokenServer.issuer,
              rootcertbundle: join(dir, 'token.crt'),
            },
          }
        : undefined;
  const notifications = options.notifications && {
    events: { includereferences: true },
    endpoints: [
      {
        name: 'customs-e2e',
        url: options.notifications.url,
        headers: Object.fromEntries(
          Object.entries(options.notifications.headers ?? {}).map(([k, v]) => [k, [v]]),
        ),
        timeout: '2s',
        threshold: 3,
        backoff: '1s',
        ...(options.notifications.recommended && recommendedEndpoint()),
      },
    ],
  };
  // YAML is a superset of JSON, so the registry reads this as its config file.
  return {
    version: '0.1',
    log: { level: 'info', accesslog: { disabled: false } },
    storage: {
      filesystem: { rootdirectory: join(dir, 'data') },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
    ...(auth && { auth }),
    ...(notifications && { notifications }),
  };
}

/** The endpoint of deploy/registry/config.yml, less its address and headers (each test has its own). */
function recommendedEndpoint(): Record<string, unknown> {
  const config = parseYaml(readFileSync(join(REPO_ROOT, 'deploy/registry/config.yml'), 'utf8')) as {
    notifications: { endpoints: Array<Record<string, unknown>> };
  };
  const { name: _name, url: _url, headers: _headers, ...settings } = config.notifications.endpoints[0] ?? {};
  return settings;
}

async function serve(
  dir: string,
  options: RegistryOptions,
  tokenServer: TokenServer | null,
): Promise<{ daemon: Daemon; host: string; configFile: string }> {
  const configFile = join(dir, 'config.yml');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    await writeFile(configFile, JSON.stringify(registryConfig(dir, port, options, tokenServer), null, 2));
    const logFile = join(dir, `registry-${attempt}.log`);
    const daemon = startDaemon('docker-registry', ['serve', configFile], logFile);
    try {
      // 401 is ready too: an auth-enabled registry challenges even /v2/.
      await waitForHttp(`http://127.0.0.1:${port}/v2/`, daemon, [200, 401]);
      return { daemon, host: `127.0.0.1:${port}`, configFile };
    } catch (error) {
      await daemon.stop();
      const log = await readFile(logFile, 'utf8').catch(() => '');
      // Another process may take the free port between freePort() and the registry's bind.
      if (attempt < PORT_ATTEMPTS && log.includes('address already in use')) continue;
      throw error;
    }
  }
}

interface HandleParts {
  daemon: Daemon;
  host: string;
  configFile: string;
  dir: string;
  auth: RegistryAuth;
  credentials: { username: string; password: string } | null;
  tokenServer: TokenServer | null;
}

function handle(parts: HandleParts): Registry {
  const { daemon, tokenServer } = parts;
  const requests = async () => parseAccessLog(await readSettledLog(daemon.logFile));
  return {
    host: parts.host,
    auth: parts.auth,
    ...(parts.credentials ?? {}),
    pid: daemon.pid,
    logFile: daemon.logFile,
    configFile: parts.configFile,
    tokenServer,
    requests,
    blobGets: async () => countBlobGets(await requests()),
    manifestGets: async () => countManifestGets(await requests()),
    async stop() {
      await daemon.stop();
      await tokenServer?.close();
      // CUSTOMS_E2E_KEEP=1 keeps config and log (not the blobs) for reading after a failed run.
      const keep = process.env.CUSTOMS_E2E_KEEP === '1';
      await rm(keep ? join(parts.dir, 'data') : parts.dir, { recursive: true, force: true });
    },
  };
}
