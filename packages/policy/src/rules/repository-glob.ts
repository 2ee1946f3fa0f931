/**
 * A repository glob, as policy rules and API tokens name repositories: `*` matches within one path
 * segment, `**` any number of segments (`team-a/**` is every repository under team-a), `?` one
 * character that is not `/`; everything else matches itself, case-sensitively as registries do.
 */
export function repositoryGlob(glob: string): (repository: string) => boolean {
  let body = '';
  for (let index = 0; index < glob.length; index += 1) {
    const character = glob[index] ?? '';
    if (glob.startsWith('**/', index)) {
      body += '(?:.*/)?';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      body += '.*';
      index += 1;
    } else if (character === '*') body += '[^/]*';
    else if (character === '?') body += '[^/]';
    else body += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const pattern = new RegExp(`^${body}$`);
  return (repository) => pattern.test(repository);
}

/** Whether any of the globs matches the repository. */
export function matchesAnyRepository(globs: readonly string[], repository: string): boolean {
  return globs.some((glob) => repositoryGlob(glob)(repository));
}
