import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface GatedProxy {
  /** `127.0.0.1:<port>`, forwarding TCP (TLS passes through) to the target once the gate is open. */
  readonly host: string;
  /** Resolves when the first connection arrived and waits at the closed gate. */
  readonly waiting: Promise<void>;
  open(): void;
  close(): Promise<void>;
}

/** A TCP proxy whose connections wait until `open()`: an update caught mid-download, on purpose. */
export async function startGatedProxy(target: { host: string; port: number }): Promise<GatedProxy> {
  let opened = false;
  const held: Array<() => void> = [];
  const sockets = new Set<Socket>();
  let markWaiting!: () => void;
  const waiting = new Promise<void>((resolve) => (markWaiting = resolve));
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.pause();
    const forward = () => {
      const upstream = connect(target.port, target.host);
      sockets.add(upstream);
      upstream.once('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    };
    if (opened) forward();
    else {
      held.push(forward);
      markWaiting();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    waiting,
    open() {
      opened = true;
      for (const forward of held.splice(0)) forward();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
