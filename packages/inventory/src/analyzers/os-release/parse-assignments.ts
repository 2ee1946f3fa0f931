/** Variables read from a shell-style `KEY=value` file (os-release, lsb-release), and the lines that made no sense. */
export interface Assignments {
  values: Map<string, string>;
  warnings: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses assignments the way os-release(5) defines them: one `KEY=value` per line, `#` comments,
 * values optionally in double quotes (where `\"`, `\\`, `` \` `` and `\$` are escapes) or single quotes
 * (taken literally), backslash escaping outside quotes. No variable expansion. Later keys win, as they
 * would when the file is sourced by a shell.
 */
export function parseAssignments(text: string): Assignments {
  const values = new Map<string, string>();
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = equals > 0 ? line.slice(0, equals) : '';
    if (!KEY.test(key)) {
      warnings.push(`line ${index + 1} is not a KEY=value assignment`);
      return;
    }
    const { value, unterminated } = unquote(line.slice(equals + 1));
    if (unterminated) warnings.push(`line ${index + 1}: unterminated quote in ${key}`);
    values.set(key, value);
  });
  return { values, warnings };
}

const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '`', '$']);

function unquote(raw: string): { value: string; unterminated: boolean } {
  let value = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < raw.length; i++) {
    const char = raw.charAt(i);
    const next = raw.charAt(i + 1);
    if (quote === "'") {
      if (char === "'") quote = null;
      else value += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && DOUBLE_QUOTE_ESCAPES.has(next)) value += raw.charAt(++i);
      else value += char;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '\\' && next !== '') {
      value += raw.charAt(++i);
    } else {
      value += char;
    }
  }
  return { value: quote === null ? value.trimEnd() : value, unterminated: quote !== null };
}
