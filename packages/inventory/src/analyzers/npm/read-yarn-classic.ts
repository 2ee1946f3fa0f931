import type { YarnLockEntry } from './yarn-lock-entry.js';

const DEPENDENCY_SECTIONS = new Set(['dependencies', 'optionalDependencies']);
const TOKEN = /"((?:[^"\\]|\\.)*)"|([^\s,"]+)/g;

/**
 * Yarn 1's own format: an unindented line lists the descriptors (`"a@^1", a@^1.2:`) that resolved to
 * one package, two-space lines are its fields, four-space lines the entries of a nested map such as
 * `dependencies`. Values are bare or JSON-quoted.
 */
export function readYarnClassic(text: string): YarnLockEntry[] {
  const entries: YarnLockEntry[] = [];
  let entry: YarnLockEntry | undefined;
  let section: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const words = tokens(line);
    if (indent === 0) {
      entry = { descriptors: words, fields: new Map(), dependencies: [] };
      entries.push(entry);
      section = undefined;
    } else if (entry && indent === 2) {
      const [key, value] = words;
      section = value === undefined && line.trimEnd().endsWith(':') ? key : undefined;
      if (key !== undefined && value !== undefined) entry.fields.set(key, value);
    } else if (entry && section && DEPENDENCY_SECTIONS.has(section)) {
      const [name, range] = words;
      if (name !== undefined && range !== undefined) entry.dependencies.push([name, range]);
    }
  }
  return entries;
}

/** The words of a line, quotes removed; a trailing `:` on a key is not part of it. */
function tokens(line: string): string[] {
  const words: string[] = [];
  for (const match of line.trim().replace(/:$/, '').matchAll(TOKEN)) {
    const quoted = match[1];
    words.push(quoted === undefined ? (match[2] ?? '') : unquote(quoted));
  }
  return words;
}

function unquote(body: string): string {
  try {
    const value: unknown = JSON.parse(`"${body}"`);
    return typeof value === 'string' ? value : body;
  } catch {
    return body;
  }
}
