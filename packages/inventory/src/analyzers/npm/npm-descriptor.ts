/**
 * Splits `name@rest` where the name may be scoped (`@scope/name@rest`): the name ends at the first
 * `@` after its first character. Used for yarn descriptors and resolutions and pnpm package keys.
 */
export function splitNameAt(descriptor: string): { name: string; rest: string } | null {
  const at = descriptor.indexOf('@', 1);
  if (at <= 0) return null;
  return { name: descriptor.slice(0, at), rest: descriptor.slice(at + 1) };
}

/** Sources that are the project's own folders (workspaces, links, local directories), not packages it installs. */
const LOCAL_PROTOCOLS = ['workspace:', 'link:', 'portal:', 'file:'];

export function isLocalReference(reference: string): boolean {
  return LOCAL_PROTOCOLS.some((protocol) => reference.startsWith(protocol));
}
