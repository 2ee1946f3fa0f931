/**
 * What a finding shows of a secret: at most its first 4 characters (fewer for a short one, never more
 * than a quarter of it) and `****`. Enough to recognise a token's kind and to tell two apart.
 */
export function redact(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}****`;
}
