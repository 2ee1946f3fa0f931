/** Every node reachable from `roots` by following `next`, roots included. */
export function reachable<T>(roots: Iterable<T>, next: (node: T) => Iterable<T>): Set<T> {
  const seen = new Set<T>();
  const pending = [...roots];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (seen.has(node)) continue;
    seen.add(node);
    for (const child of next(node)) if (!seen.has(child)) pending.push(child);
  }
  return seen;
}

/**
 * Whether a node is development-only: development roots reach it and production roots do not. Nodes
 * neither reaches are not development-only: a lockfile that lists a package nobody seems to need
 * still installs it, and leaving it out would hide it.
 */
export function isDevelopmentOnly<T>(
  node: T,
  production: ReadonlySet<T>,
  development: ReadonlySet<T>,
): boolean {
  return development.has(node) && !production.has(node);
}
