import { createServer, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// Receives a registry's webhook notifications inside the test process (adapted from the e2e recipe's
// notify-listener.js). Answers 200 at once: any other status makes the registry retry that event forever.

export interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  /** Parsed JSON body ({"events": [...]}), or null when the body was not JSON. */
  body: unknown;
}

export interface NotificationSink {
  url: string;
  received: ReceivedNotification[];
  /** Resolves with the first notification `matches` accepts, waiting up to `timeoutMs` for it. */
  waitFor(
    matches: (notification: ReceivedNotification) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedNotification>;
  close(): Promise<void>;
}

export async function startNotificationSink(path = '/webhooks/registry'): Promise<NotificationSink> {
  const received: ReceivedNotification[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = null;
      }
      if (req.url === path) received.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref(); // a test that forgets close() must not keep the test process alive
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('notification sink: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}${path}`,
    received,
    async waitFor(matches, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(matches);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no matching notification in ${timeoutMs} ms (${received.length} received)`);
        await sleep(50);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
