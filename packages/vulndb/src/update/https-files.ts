import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import { SourceUnsupportedError } from '../errors.js';
import { joinPath, TransientFetchError, type RemoteFile, type RemoteFiles } from './remote-files.js';

export interface HttpsFilesOptions {
  /** PEM file of a CA to trust besides the system's (a mirror with a private CA); NODE_EXTRA_CA_CERTS works too. */
  caFile?: string;
  /** Plain http to 127.0.0.1/localhost: tests only. */
  allowLoopbackHttp?: boolean;
}

/** An OSV export root over https. Each path segment is URL-encoded: `Red Hat/all.zip`. */
export async function httpsFiles(root: string, options: HttpsFilesOptions = {}): Promise<RemoteFiles> {
  const url = new URL(root);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowLoopbackHttp && loopback)) {
    throw new SourceUnsupportedError(root, 'only https:// mirrors are accepted');
  }
  const ca = options.caFile ? [...rootCertificates, await readFile(options.caFile, 'utf8')] : undefined;
  const dispatcher = new Agent({
    headersTimeout: 30_000,
    bodyTimeout: 60_000,
    ...(ca && { connect: { ca } }),
  });
  return {
    description: root,
    async get(path, { start, signal }): Promise<RemoteFile | null> {
      const target = joinPath(root, path.split('/').map(encodeURIComponent).join('/'));
      let response;
      try {
        response = await request(target, {
          dispatcher,
          headers: start > 0 ? { range: `bytes=${start}-` } : {},
          ...(signal && { signal }),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new TransientFetchError(describe(error), { cause: error });
      }
      const { statusCode, headers, body } = response;
      if (statusCode === 404) {
        await body.dump();
        return null;
      }
      if (statusCode >= 500 || statusCode === 429) {
        await body.dump();
        throw new TransientFetchError(`HTTP ${statusCode}`);
      }
      if (statusCode !== 200 && statusCode !== 206) {
        await body.dump();
        throw new Error(`HTTP ${statusCode}`);
      }
      const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header(headers['content-range']) ?? '');
      const length = Number(header(headers['content-length']) ?? NaN);
      const begin = statusCode === 206 && range ? Number(range[1]) : 0;
      const size =
        range && range[2] !== '*' ? Number(range[2]) : Number.isFinite(length) ? begin + length : null;
      return { start: begin, size, md5: googMd5(header(headers['x-goog-hash'])), body };
    },
    close: () => dispatcher.close(),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** GCS publishes `x-goog-hash: crc32c=…,md5=<base64>` for objects uploaded whole. */
function googMd5(value: string | undefined): string | null {
  const md5 = /(?:^|,)\s*md5=([A-Za-z0-9+/=]+)/.exec(value ?? '')?.[1];
  return md5 ? Buffer.from(md5, 'base64').toString('hex') : null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
