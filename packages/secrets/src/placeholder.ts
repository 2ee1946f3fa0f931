/**
 * Words and shapes of documentation and templates rather than credentials: `EXAMPLE` (AWS's own sample
 * keys), `xxxx`, `${VAR}` / `$(cmd)` / `{{ var }}` / `<token>` substitutions, `changeme`, and filler
 * such as a character repeated six times.
 */
const PLACEHOLDER =
  /example|x{4}|\$\{|\$\(|\{\{|%\(|<[^>]*>|change[_-]?me|placeholder|your[_-]|dummy|redacted|sample|\*{3}|\.{3}|(.)\1{5}/i;

/** Values that are the name of the thing rather than one: `password=password`, `token: secret`. */
const BARE_WORD = /^(pass(word)?|passwd|secret|token|key|api[_-]?key|none|null|undefined|true|false|test)$/i;

/** A reference to a variable (`$TOKEN`, `%TOKEN%`) rather than its value. */
const VARIABLE = /^\$[A-Za-z_]|^%[A-Za-z_]+%$/;

/** The Azure storage emulator's account key, published in Microsoft's documentation for everyone. */
const WELL_KNOWN = new Set([
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
]);

/** True for a value that only stands in for a secret. */
export function isPlaceholder(secret: string): boolean {
  return (
    PLACEHOLDER.test(secret) || BARE_WORD.test(secret) || VARIABLE.test(secret) || WELL_KNOWN.has(secret)
  );
}
