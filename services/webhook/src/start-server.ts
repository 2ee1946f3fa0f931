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
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(requestTimeout, 10_000);
  // Node checks the two timeouts only every `connectionsCheckingInterval` (30 s by default), which
  // would let a slow sender hold its connection up to twice as long as the limit says.
  const server = createServer(
    { requestTimeout, headersTimeout, connectionsCheckingInterval: headersTimeout / 2 },
    app,
  );
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
