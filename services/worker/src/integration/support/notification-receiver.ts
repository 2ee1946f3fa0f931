import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent: what a signature is computed over. */
  body: string;
}

export interface NotificationReceiver {
  url(path: string): string;
  /** The statuses to answer on `path`, in order; the last one repeats. Default 200. */
  answer(path: string, statuses: readonly number[]): void;
  received(path: string): ReceivedRequest[];
  close(): Promise<void>;
}

/** A subscriber's HTTP endpoint on loopback, keeping every request it gets. */
export async function startNotificationReceiver(): Promise<NotificationReceiver> {
  const requests: ReceivedRequest[] = [];
  const answers = new Map<string, readonly number[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const seen = requests.filter((one) => one.path === path).length;
      requests.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const statuses = answers.get(path) ?? [200];
      response.statusCode = statuses[Math.min(seen, statuses.length - 1)] ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    answer: (path, statuses) => void answers.set(path, statuses),
    received: (path) => requests.filter((one) => one.path === path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
