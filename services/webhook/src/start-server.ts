import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface WebhookServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets requests in flight finish (their jobs are being queued), then resolves. */
  close(): Promise<void>;
}

export interface WebhookServerOptions {
  port: number;
  /** Default: all interfaces. */
  host?: string;
  /** Whole-request limit, so a slow sender cannot hold a connection open. Default 30 s. */
  requestTimeoutMs?: number;
}

/** Listens with the app (from createWebhookApp) until closed. */
export async function startWebhookServer(
  app: RequestListener,
  options: WebhookServerOptions,
): Promise<WebhookServer> {
  const server = createServer(app);
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.requestTimeout, 10_000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound: AddressInfo | string | null = server.address();
  if (bound === null || typeof bound === 'string')
    throw new Error('the webhook server is not listening on TCP');
  const { port, address } = bound;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
