const SHOWN = 5;

/** One warning for all the entries of a file that were left out for the same reason, naming a few. */
export function skippedWarning(path: string, entries: readonly string[], reason: string): string[] {
  if (entries.length === 0) return [];
  const shown = entries.slice(0, SHOWN).join(', ');
  const more = entries.length > SHOWN ? `, and ${entries.length - SHOWN} more` : '';
  return [
    `${path}: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} ${reason}: ${shown}${more}`,
  ];
}
