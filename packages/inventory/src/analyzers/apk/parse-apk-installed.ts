import type { FoundPackage } from '../../package.js';

export interface InstalledEntry {
  pkg: FoundPackage;
  /** The package's files (R: lines joined to their F: directory) that `keepFile` accepted. */
  files: string[];
}

export interface ParsedInstalled {
  entries: InstalledEntry[];
  warnings: string[];
}

export interface InstalledOptions {
  /** The database's path relative to the image root; becomes each package's `path`. */
  path: string;
  /** Which file paths to keep for ownership; the rest are dropped while parsing. */
  keepFile(path: string): boolean;
}

interface Draft {
  line: number;
  fields: Map<string, string>;
  files: string[];
  directory: string;
}

/**
 * `lib/apk/db/installed`: one paragraph per package, one `X:value` per line (apk's single-letter
 * keys: P name, V version, A arch, o origin, L license, F directory, R file in the last F). Ownership
 * is the R: files; the origin is the source package Alpine's secdb names.
 */
export function parseApkInstalled(text: string, options: InstalledOptions): ParsedInstalled {
  const entries: InstalledEntry[] = [];
  const warnings: string[] = [];
  let draft: Draft | null = null;
  const finish = () => {
    if (draft === null) return;
    const result = toEntry(draft, options.path);
    if (typeof result === 'string') warnings.push(`paragraph at line ${draft.line}: ${result}`);
    else entries.push(result);
    draft = null;
  };

  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    if (line === '') return finish();
    draft ??= { line: index + 1, fields: new Map(), files: [], directory: '' };
    const key = line.charAt(0);
    if (line.charAt(1) !== ':') {
      warnings.push(`line ${index + 1}: not a "X:value" line`);
      return;
    }
    const value = line.slice(2);
    if (key === 'F') draft.directory = value.replace(/^\/+|\/+$/g, '');
    else if (key === 'R') {
      const filePath = draft.directory ? `${draft.directory}/${value}` : value;
      if (options.keepFile(filePath)) draft.files.push(filePath);
    } else if (!draft.fields.has(key)) draft.fields.set(key, value);
  });
  finish();
  return { entries, warnings };
}

function toEntry({ fields, files }: Draft, path: string): InstalledEntry | string {
  const name = fields.get('P');
  if (!name) return 'no P: (package name)';
  const version = fields.get('V');
  if (!version) return `package ${name}: no V: (version)`;
  const arch = fields.get('A');
  const license = fields.get('L');
  return {
    pkg: {
      type: 'apk',
      name,
      version,
      // Alpine advisories are keyed by origin (the aport); a package without o: is its own origin.
      source: { name: fields.get('o') || name, version },
      ...(arch ? { arch } : {}),
      ...(license ? { licenses: [license] } : {}),
      path,
    },
    files,
  };
}
