import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';

const run = promisify(execFile);

/** An OSV export as files: `<Ecosystem>/all.zip`, `<Ecosystem>/modified_id.csv`, `<Ecosystem>/<id>.json`. */
export type ExportFiles = Map<string, Uint8Array>;

export interface FixtureRecord {
  id: string;
  modified: string;
  ecosystems: string[];
  /** A withdrawn record is published but never stored. */
  withdrawn: boolean;
  text: string;
}

/** Every OSV record (*.json) under a directory, with the ecosystem bases it names. */
export async function readRecords(dir: string): Promise<FixtureRecord[]> {
  const found: FixtureRecord[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const text = await readFile(join(entry.parentPath, entry.name), 'utf8');
    const record = JSON.parse(text) as {
      id?: string;
      modified?: string;
      withdrawn?: string;
      affected?: Array<{ package?: { ecosystem?: string } }>;
    };
    if (typeof record.id !== 'string' || typeof record.modified !== 'string') continue;
    const ecosystems = [
      ...new Set(
        (record.affected ?? []).flatMap((a) =>
          a.package?.ecosystem ? [a.package.ecosystem.split(':')[0] ?? ''] : [],
        ),
      ),
    ];
    found.push({
      id: record.id,
      modified: record.modified,
      ecosystems,
      withdrawn: record.withdrawn !== undefined,
      text,
    });
  }
  return found;
}

/**
 * Builds what OSV's exporter publishes per ecosystem from real records: all.zip (one `<id>.json`
 * member per record), each record alone, and modified_id.csv (`<modified>,<id>`, newest first).
 */
export function buildExport(records: readonly FixtureRecord[]): ExportFiles {
  const files: ExportFiles = new Map();
  const byEcosystem = new Map<string, FixtureRecord[]>();
  for (const record of records) {
    for (const ecosystem of record.ecosystems)
      byEcosystem.set(ecosystem, [...(byEcosystem.get(ecosystem) ?? []), record]);
  }
  for (const [ecosystem, list] of byEcosystem) {
    const members: Record<string, Uint8Array> = {};
    for (const record of list) {
      const bytes = Buffer.from(record.text);
      members[`${record.id}.json`] = bytes;
      files.set(`${ecosystem}/${record.id}.json`, bytes);
    }
    files.set(`${ecosystem}/all.zip`, zipSync(members));
    const sorted = [...list].sort((a, b) => Date.parse(b.modified) - Date.parse(a.modified));
    files.set(
      `${ecosystem}/modified_id.csv`,
      Buffer.from(sorted.map((r) => `${r.modified},${r.id}\n`).join('')),
    );
  }
  return files;
}

/** A self-signed certificate for 127.0.0.1, made with openssl; `certFile` is what clients trust. */
export async function selfSignedCertificate(
  dir: string,
): Promise<{ key: Buffer; cert: Buffer; certFile: string }> {
  const keyFile = join(dir, 'mirror.key');
  const certFile = join(dir, 'mirror.crt');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=customs-test-mirror',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return { key: await readFile(keyFile), cert: await readFile(certFile), certFile };
}

export interface MirrorServer {
  url: string;
  files: ExportFiles;
  /** Paths asked for, in order, with the Range header when one was sent. */
  requests: Array<{ path: string; range: string | null }>;
  /** The next `times` responses for `path` stop after `bytes` bytes by destroying the connection. */
  breakAfter(path: string, bytes: number, times: number): void;
  close(): Promise<void>;
}

/**
 * An HTTPS static server on 127.0.0.1 serving an export like GCS does: Range requests (206 with
 * Content-Range), Content-Length, and `x-goog-hash: md5=…` for each file.
 */
export async function startMirror(
  files: ExportFiles,
  tls: { key: Buffer; cert: Buffer },
): Promise<MirrorServer> {
  const requests: MirrorServer['requests'] = [];
  const breaks = new Map<string, { bytes: number; times: number }>();
  const server: Server = createServer(tls, (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'https://x').pathname.slice(1));
    const range = request.headers.range ?? null;
    requests.push({ path, range });
    const body = files.get(path);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    const md5 = createHash('md5').update(body).digest('base64');
    const start = range ? Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? 0) : 0;
    const part = body.subarray(start);
    const headers = { 'content-length': String(part.length), 'x-goog-hash': `crc32c=AAAAAA==,md5=${md5}` };
    if (start > 0)
      response.writeHead(206, {
        ...headers,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    else response.writeHead(200, headers);
    const broken = breaks.get(path);
    if (broken && broken.times > 0) {
      broken.times -= 1;
      response.write(part.subarray(0, broken.bytes), () => setImmediate(() => request.socket.destroy()));
      return;
    }
    response.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    files,
    requests,
    breakAfter: (path, bytes, times) => breaks.set(path, { bytes, times }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes an export to a directory (for `s3 cp`-style uploads and file mirrors). */
export async function writeExport(files: ExportFiles, dir: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  for (const [path, bytes] of files) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
}
