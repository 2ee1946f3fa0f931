/**
 * Variable names that hold credentials by convention. `KEY` alone is not one: `GPG_KEY` in the
 * official python images is a public key fingerprint.
 */
const SECRET_NAME =
  /(PASS(WORD|WD)?|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY)$/i;

/** Names that point at a secret instead of holding it (`POSTGRES_PASSWORD_FILE=/run/secrets/db`). */
const REFERENCE_SUFFIX = /_(FILE|PATH|DIR|URL|ENV|NAME|LENGTH|MIN_LENGTH)$/i;

/** Values that stand for "set me later": empty, a variable reference, `<...>`, `xxx`, `changeme`. */
const PLACEHOLDER =
  /^(|\$\{?\w+\}?|<[^>]*>|x+|\*+|-+|none|null|nil|false|true|changeme|change_me|todo|tbd|dummy)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !REFERENCE_SUFFIX.test(name);
}

/**
 * What a secret value is stored as (`redactImageConfig`): no spaces, so a history line still splits
 * into its `NAME=value` tokens, and the length survives for the finding's detail.
 */
const STORED_MARKER = /^<redacted:(\d+)>$/;

export function storedMarker(value: string): string {
  return STORED_MARKER.test(value) ? value : `<redacted:${value.length}>`;
}

export function isPlaceholder(value: string): boolean {
  if (STORED_MARKER.test(value)) return false;
  return PLACEHOLDER.test(value.trim().replace(/^["']|["']$/g, ''));
}

/** `NAME=<redacted, 12 characters>`: enough to find it, never the value itself. */
export function redacted(name: string, value: string): string {
  const length = STORED_MARKER.exec(value)?.[1] ?? String(value.length);
  return `${name}=<redacted, ${length} characters>`;
}

/** `NAME=value` pairs that look like credentials with a real value. */
export function secretAssignments(pairs: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return pairs.filter(([name, value]) => isSecretName(name) && !isPlaceholder(value)).map(([n, v]) => [n, v]);
}
