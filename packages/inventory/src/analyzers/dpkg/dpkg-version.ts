/**
 * A version as dpkg-query prints it: surrounding blanks dropped, the epoch as a plain number, and a
 * zero epoch left out unless the rest contains a colon (dpkg's "non-ambiguous" form). So `0:1.2-3`
 * in a status file is reported as `1.2-3`, exactly like `dpkg-query -W -f '${Version}'`.
 */
export function dpkgVersion(raw: string): string {
  const version = raw.trim();
  const match = /^(\d+):(.*)$/.exec(version);
  if (!match) return version;
  const epoch = Number.parseInt(match[1] ?? '0', 10);
  const rest = match[2] ?? '';
  return epoch === 0 && !rest.includes(':') ? rest : `${epoch}:${rest}`;
}
