import { createServer } from 'node:http';

/** A loopback server standing in for a registry nobody configured: it only counts who calls it. */
export interface TrapServer {
  /** `127.0.0.1:<port>`, as a payload would name the registry. */
  readonly host: string;
  readonly requests: ReadonlyArray<{ method: string; path: string }>;
  close(): Promise<void>;
}

export async function startTrapServer(): Promise<TrapServer> {
  const requests: Array<{ method: string; path: string }> = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', path: request.url ?? '' });
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the trap is not listening on TCP');
  return {
    host: `127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
