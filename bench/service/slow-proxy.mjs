// A loopback TCP proxy that makes a registry on 127.0.0.1 behave like one across a network: every
// chunk the client sends (a request, on a keep-alive connection) is held for `delayMs` before it is
// forwarded, and what the registry answers is paced to `bytesPerSecond` per connection.
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Starts the proxy in front of `target` (`host:port`); resolves with its `host:port` and `close()`. */
export async function startSlowProxy(target, { delayMs, bytesPerSecond }) {
  const [targetHost, targetPort] = target.split(':');
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect(Number(targetPort), targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    forwardDelayed(client, upstream, delayMs);
    forwardPaced(upstream, client, bytesPerSecond);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${server.address().port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Each chunk waits `delayMs`, in order: one round trip's worth of latency per request. */
function forwardDelayed(from, to, delayMs) {
  let chain = Promise.resolve();
  from.on('data', (chunk) => {
    chain = chain.then(async () => {
      await sleep(delayMs);
      if (!to.destroyed) to.write(chunk);
    });
  });
  from.on('end', () => chain.then(() => to.end()));
}

/** Forwards at most `bytesPerSecond`, pausing the source between slices. */
function forwardPaced(from, to, bytesPerSecond) {
  from.on('data', (chunk) => {
    from.pause();
    const waitMs = (chunk.length / bytesPerSecond) * 1000;
    setTimeout(() => {
      if (to.destroyed) return;
      if (to.write(chunk)) from.resume();
      else to.once('drain', () => from.resume());
    }, waitMs);
  });
  from.on('end', () => to.end());
}
