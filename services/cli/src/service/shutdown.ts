/**
 * Resolves on the first SIGTERM or SIGINT (what docker stop and Ctrl-C send), so a process can stop
 * taking work, finish what is in flight and close its connections.
 */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
