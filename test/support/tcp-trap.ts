import { createServer, type Socket } from 'node:net';

/**
 * A loopback TCP port standing in for a registry nobody configured. It counts connections, not HTTP
 * requests: a client that connects and gives up (a TLS hello, a refused auth) is still caught.
 */
export interface TcpTrap {
  /** `127.0.0.1:<port>`, as a payload would name the registry. */
  readonly host: string;
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpTrap(): Promise<TcpTrap> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref(); // a test that forgets close() must not keep the test process alive
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the trap has no TCP address');
  return {
    host: `127.0.0.1:${address.port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
