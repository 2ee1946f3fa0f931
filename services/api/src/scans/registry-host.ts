const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
/** A DNS name or IPv4 address, or an IPv6 literal in brackets, then an optional port: nothing else. */
const HOST_AND_PORT = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9a-f:.]+\\])(?::([0-9]{1,5}))?$`, 'i');
const MAX_PORT = 65_535;

/**
 * Why `text` is not a registry `host[:port]`, or null when it is. The registry allow-list compares
 * canonical hosts, which drop a scheme and a path: `https://r.example/x` would be taken as
 * `r.example` and stored as written. A request has to name the registry exactly instead.
 */
export function registryHostProblem(text: string): string | null {
  const match = HOST_AND_PORT.exec(text);
  const port = match?.[1];
  if (match !== null && (port === undefined || (Number(port) >= 1 && Number(port) <= MAX_PORT))) return null;
  return (
    `${JSON.stringify(text)} is not a registry host[:port] such as registry.example.com or localhost:5000 ` +
    `(no scheme, path, user or spaces; a port from 1 to ${MAX_PORT})`
  );
}
