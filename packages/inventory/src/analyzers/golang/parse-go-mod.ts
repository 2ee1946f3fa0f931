import type { FoundPackage } from '../../package.js';
import { parseGoSum } from './parse-go-sum.js';

export interface GoModResult {
  packages: FoundPackage[];
  warnings: string[];
}

interface Directive {
  verb: string;
  args: string[];
  line: number;
}

interface Replacement {
  oldPath: string;
  oldVersion: string | null;
  newPath: string;
  /** null for a directory replacement (`=> ../fork`). */
  newVersion: string | null;
}

/**
 * The modules a go.mod requires, direct and `// indirect` alike (since Go 1.17 go.mod lists every
 * module the build needs). The main module itself is not a dependency and is not reported.
 * `replace` applies the way the go command does: a versioned left side only to that version, an
 * unversioned one to every version; a replacement by another module reports that module, one by a
 * local directory drops the module (it is local code, as Trivy also treats it). `exclude` cannot be
 * resolved offline (Go would pick the next non-excluded version), so a required version that is
 * excluded is still reported, with a warning.
 * Before Go 1.17 go.mod lists only direct requirements; for such a go.mod (a `go` directive below
 * 1.17, or none) the source modules of the go.sum beside it are added, as Trivy does. That
 * over-approximates (go.sum also covers tests of dependencies) but misses no module that was built.
 */
export function parseGoMod(text: string, path: string, goSum?: string): GoModResult {
  const warnings: string[] = [];
  const directives = readDirectives(text, path, warnings);
  const requires = new Map<string, string>();
  const replacements: Replacement[] = [];
  const excluded = new Set<string>();
  let goVersion: string | null = null;
  for (const { verb, args, line } of directives) {
    if (verb === 'go') goVersion = args[0] ?? null;
    else if (verb === 'require') {
      const [module, version] = args;
      if (module && version && args.length === 2) requires.set(module, version);
      else warnings.push(`${path}:${line}: malformed require "${args.join(' ')}" skipped`);
    } else if (verb === 'replace') {
      const replacement = readReplacement(args);
      if (replacement) replacements.push(replacement);
      else warnings.push(`${path}:${line}: malformed replace "${args.join(' ')}" skipped`);
    } else if (verb === 'exclude' && args.length === 2) {
      excluded.add(args.join('@'));
    }
  }
  if (goSum !== undefined && listsOnlyDirectRequirements(goVersion)) {
    for (const [module, version] of parseGoSum(goSum))
      if (!requires.has(module)) requires.set(module, version);
  }
  const packages: FoundPackage[] = [];
  for (const [module, version] of requires) {
    if (excluded.has(`${module}@${version}`)) {
      warnings.push(`${path}: requires ${module} ${version}, which it also excludes; reporting ${version}`);
    }
    const replacement = replacementFor(replacements, module, version);
    if (!replacement) packages.push({ type: 'golang', name: module, version, path });
    else if (replacement.newVersion) {
      packages.push({ type: 'golang', name: replacement.newPath, version: replacement.newVersion, path });
    }
  }
  return { packages, warnings };
}

/** Go 1.17 made go.mod list every module the build needs ("module graph pruning"). */
function listsOnlyDirectRequirements(goVersion: string | null): boolean {
  const [major = 0, minor = 0] = (goVersion ?? '1.16').split('.').map(Number);
  return major < 1 || (major === 1 && minor < 17);
}

function replacementFor(
  replacements: Replacement[],
  module: string,
  version: string,
): Replacement | undefined {
  const forModule = replacements.filter((replacement) => replacement.oldPath === module);
  return (
    forModule.find((replacement) => replacement.oldVersion === version) ??
    forModule.find((r) => !r.oldVersion)
  );
}

function readReplacement(args: string[]): Replacement | null {
  const arrow = args.indexOf('=>');
  const left = args.slice(0, arrow);
  const right = args.slice(arrow + 1);
  const [oldPath, oldVersion = null] = left;
  const [newPath, newVersion = null] = right;
  if (arrow < 0 || !oldPath || !newPath || left.length > 2 || right.length > 2) return null;
  if (isDirectory(newPath) !== (newVersion === null)) return null;
  return { oldPath, oldVersion, newPath, newVersion };
}

/** The go command's rule (modfile.IsDirectoryPath): local paths start with ./ ../ or are absolute. */
function isDirectory(target: string): boolean {
  return /^(\.\.?($|[/\\])|\/|\\|[A-Za-z]:[/\\])/.test(target);
}

function readDirectives(text: string, path: string, warnings: string[]): Directive[] {
  const directives: Directive[] = [];
  let block: string | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const tokens = tokenize(raw);
    if (tokens === null) {
      warnings.push(`${path}:${line}: unterminated quoted string, line skipped`);
      return;
    }
    if (tokens.length === 0) return;
    if (block !== null) {
      if (tokens[0] === ')') block = null;
      else directives.push({ verb: block, args: tokens, line });
      return;
    }
    const [verb = '', ...args] = tokens;
    if (args.length === 1 && args[0] === '(') block = verb;
    else directives.push({ verb, args, line });
  });
  return directives;
}

/** Splits one go.mod line into tokens, dropping a `//` comment; null on an unterminated quote. */
function tokenize(line: string): string[] | null {
  const tokens: string[] = [];
  let at = 0;
  while (at < line.length) {
    const char = line[at] ?? '';
    if (/\s/.test(char)) at++;
    else if (line.startsWith('//', at)) break;
    else if (char === '"' || char === '`') {
      const end = closingQuote(line, at);
      if (end < 0) return null;
      tokens.push(unquote(line.slice(at, end + 1)));
      at = end + 1;
    } else {
      const rest = /^[^\s"`]+/.exec(line.slice(at))?.[0] ?? char;
      const comment = rest.indexOf('//');
      tokens.push(comment > 0 ? rest.slice(0, comment) : rest);
      at += comment > 0 ? comment : rest.length;
    }
  }
  return tokens;
}

function closingQuote(line: string, open: number): number {
  const quote = line[open];
  for (let at = open + 1; at < line.length; at++) {
    if (quote === '"' && line[at] === '\\') at++;
    else if (line[at] === quote) return at;
  }
  return -1;
}

function unquote(quoted: string): string {
  if (quoted.startsWith('`')) return quoted.slice(1, -1);
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : quoted.slice(1, -1);
  } catch {
    return quoted.slice(1, -1);
  }
}
