import path from 'node:path';

/**
 * The package.json files of a project's workspaces among `candidates`: those under `projectDir` in a
 * folder matched by one of the `workspaces` globs (`packages/*`, `apps/**`). Negated globs are ignored.
 */
export function workspaceManifestPaths(
  projectDir: string,
  globs: readonly string[],
  candidates: readonly string[],
): string[] {
  const prefix = projectDir === '.' || projectDir === '' ? '' : `${projectDir}/`;
  const patterns = globs
    .filter((glob) => !glob.startsWith('!'))
    .map((glob) => new RegExp(`^${escapeForRegExp(prefix)}${globToRegExp(glob)}/package\\.json$`));
  return candidates.filter((candidate) => patterns.some((pattern) => pattern.test(candidate)));
}

function globToRegExp(glob: string): string {
  const clean = path.posix.normalize(glob).replace(/^\.\//, '').replace(/\/+$/, '');
  return clean
    .split('**')
    .map((part) => part.split('*').map(escapeForRegExp).join('[^/]*'))
    .join('.*');
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
