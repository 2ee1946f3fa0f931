import { connect, createServer, type Socket } from 'node:net';

export interface RelayedRequest {
  method: string;
  /** Decoded path without the query: `/bucket/prefix/Debian/all.zip`. */
  path: string;
  range: string | null;
}

/**
 * A TCP relay in front of a real plain-HTTP server (the S3 gateway): it passes bytes through unchanged,
 * reads the request heads going by, and can break a response part-way — the way a server that dies
 * mid-download looks to the client.
 */
export interface HttpRelay {
  url: string;
  requests: RelayedRequest[];
  /**
   * The next response to a request for `path` stops after `bytes` bytes: `beforeBreak` runs (e.g. kills
   * the server), then the client's connection is destroyed.
   */
  breakAfter(path: string, bytes: number, beforeBreak?: () => Promise<void>): void;
  close(): Promise<void>;
}

interface ArmedBreak {
  bytes: number;
  beforeBreak: () => Promise<void>;
}

export async function startHttpRelay(target: { host: string; port: number }): Promise<HttpRelay> {
  const requests: RelayedRequest[] = [];
  const armed = new Map<string, ArmedBreak>();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    let pending = '';
    let breaking: ArmedBreak | null = null;
    client.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const request = parseHead(pending.slice(0, end));
        pending = pending.slice(end + 4);
        if (!request) continue;
        requests.push(request);
        const planned = armed.get(request.path);
        if (planned) {
          armed.delete(request.path);
          breaking = { ...planned };
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!breaking) {
        client.write(chunk);
        return;
      }
      if (chunk.length < breaking.bytes) {
        breaking.bytes -= chunk.length;
        client.write(chunk);
        return;
      }
      const { bytes, beforeBreak } = breaking;
      breaking = null;
      upstream.pause();
      client.write(chunk.subarray(0, bytes), () => void beforeBreak().finally(closeBoth));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    breakAfter: (path, bytes, beforeBreak = async () => undefined) => armed.set(path, { bytes, beforeBreak }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseHead(head: string): RelayedRequest | null {
  const [line, ...headers] = head.split('\r\n');
  const match = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(line ?? '');
  if (!match?.[1] || !match[2]) return null;
  const range = headers.find((header) => /^range:/i.test(header));
  return {
    method: match[1],
    path: decodeURIComponent(new URL(match[2], 'http://relay').pathname),
    range: range ? range.slice(range.indexOf(':') + 1).trim() : null,
  };
}
