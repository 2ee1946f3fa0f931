import type { FoundPackage } from '../../package.js';
import type { ParsedFile } from '../parser-analyzer.js';
import { distinctPackages, skippedWarning } from './parsed-file.js';

/** PEP 508 names, then optional extras, then whatever follows. */
const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;
const OPERATOR = /^(===|==|~=|!=|<=|>=|<|>)\s*(.*)$/;
/** A version pip would accept after `==`: no wildcard, no quotes. */
const EXACT_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+!_-]*$/;

/**
 * `requirements*.txt`. Only exact pins (`name==1.2.3`, `name[extra]==1.2.3`, `name===1.2.3`) name
 * an installed version; ranges, bare names and URLs do not, and are skipped with a warning. Options
 * (`-r`, `-e`, `--index-url`), per-line options (`--hash`), comments and environment markers are
 * ignored; a trailing backslash continues a line.
 */
export function parseRequirements(text: string, path: string): ParsedFile {
  const found: FoundPackage[] = [];
  const unpinned: string[] = [];
  const unreadable: string[] = [];
  for (const line of logicalLines(text)) {
    const requirement = line
      .replace(/(^|\s)#.*$/, '')
      .replace(/\s--?[A-Za-z].*$/, '')
      .replace(/;.*$/, '')
      .trim();
    if (requirement === '' || requirement.startsWith('-')) continue;
    const match = REQUIREMENT.exec(requirement);
    const name = match?.[1];
    const rest = match?.[2] ?? '';
    const operator = OPERATOR.exec(rest);
    if (!name || (rest !== '' && !rest.startsWith('@') && !operator)) {
      unreadable.push(JSON.stringify(requirement));
    } else if (operator && (operator[1] === '==' || operator[1] === '===') && !operator[2]?.includes(',')) {
      const version = operator[2]?.trim() ?? '';
      if (EXACT_VERSION.test(version)) found.push({ type: 'pypi', name, version, path });
      else if (version.includes('*')) unpinned.push(name);
      else unreadable.push(JSON.stringify(requirement));
    } else {
      unpinned.push(name);
    }
  }
  return {
    packages: distinctPackages(found),
    warnings: [
      ...skippedWarning(path, unpinned, 'are not pinned to one version and were skipped'),
      ...skippedWarning(path, unreadable, 'could not be read as requirements and were skipped'),
    ],
  };
}

/** Lines with backslash continuations joined. */
function logicalLines(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}

/**
 * pip reads requirements as UTF-8 unless a BOM says otherwise; `pip freeze > requirements.txt` in
 * Windows PowerShell writes UTF-16 LE with a BOM.
 */
export function decodeRequirements(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
