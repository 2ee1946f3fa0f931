/**
 * The module information text a Go binary embeds (the format runtime/debug.ParseBuildInfo reads):
 * one record per line, tab-separated —
 *   path  <main package path>
 *   mod   <path> <version> [<sum>]      the main module (absent in GOPATH mode)
 *   dep   <path> <version> [<sum>]      one per module linked in
 *   =>    <path> <version> <sum>        replaces the module on the line before
 *   build <key>=<value>                 build settings (Go ≥ 1.18); key and value may be Go-quoted
 */
export interface GoModule {
  path: string;
  version: string;
  replace?: GoModule;
}

export interface GoModInfo {
  /** The main package's import path; the only record a GOPATH-mode binary has. */
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  settings: ReadonlyMap<string, string>;
}

/** Parses module info leniently: a line it does not understand is skipped, as Go's own tools do. */
export function parseModInfo(text: string): GoModInfo {
  let path: string | null = null;
  let main: GoModule | null = null;
  let last: GoModule | null = null;
  const deps: GoModule[] = [];
  const settings = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [kind = '', ...fields] = line.split('\t');
    if (kind === 'path' && fields[0]) path = fields[0];
    else if (kind === 'mod' || kind === 'dep') {
      last = moduleOf(fields);
      if (!last) continue;
      if (kind === 'mod') main = last;
      else deps.push(last);
    } else if (kind === '=>' && last) {
      const replacement = moduleOf(fields);
      if (replacement) last.replace = replacement;
    } else if (kind === 'build') {
      const setting = buildSetting(line.slice('build\t'.length));
      if (setting) settings.set(setting.key, setting.value);
    }
  }
  return { path, main, deps, settings };
}

function moduleOf(fields: string[]): GoModule | null {
  const [path, version = ''] = fields;
  return path ? { path, version } : null;
}

function buildSetting(pair: string): { key: string; value: string } | null {
  const key = pair.startsWith('"') ? quotedPrefix(pair) : null;
  const rawKey = key ?? pair.slice(0, Math.max(0, pair.indexOf('=')));
  const rest = pair.slice(rawKey.length);
  if (!rawKey || !rest.startsWith('=')) return null;
  const rawValue = rest.slice(1);
  return { key: key ? unquote(key) : rawKey, value: /^["`]/.test(rawValue) ? unquote(rawValue) : rawValue };
}

function quotedPrefix(text: string): string | null {
  for (let at = 1; at < text.length; at++) {
    if (text[at] === '\\') at++;
    else if (text[at] === '"') return text.slice(0, at + 1);
  }
  return null;
}

/** Go's strconv.Quote output is JSON-compatible except for \x and \U escapes, which settings rarely hold. */
function unquote(quoted: string): string {
  if (quoted.startsWith('`')) return quoted.slice(1, -1);
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : quoted;
  } catch {
    return quoted.slice(1, -1);
  }
}
