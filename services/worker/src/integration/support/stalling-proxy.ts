import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StallingProxy {
  /** `127.0.0.1:<port>`: the registry host to configure. */
  readonly host: string;
  /** Resolves when the first download of the blob has started and stalled. */
  readonly stalled: Promise<void>;
  close(): Promise<void>;
}

/**
 * Stands in front of a registry and passes everything through, except the first download of one
 * blob: its headers and first bytes are sent, then nothing more, so a worker is caught mid-layer.
 */
export async function startStallingProxy(upstream: string, blobDigest: string): Promise<StallingProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  let stall = true;
  let markStalled!: () => void;
  const stalled = new Promise<void>((resolve) => (markStalled = resolve));

  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        const stallThis = stall && (incoming.url ?? '').endsWith(`/blobs/${blobDigest}`);
        if (!stallThis) {
          answer.pipe(outgoing);
          return;
        }
        stall = false;
        answer.once('data', (chunk: Buffer) => {
          outgoing.write(chunk.subarray(0, 1024));
          answer.destroy();
          markStalled();
        });
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy is not listening on TCP');
  return {
    host: `127.0.0.1:${address.port}`,
    stalled,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
