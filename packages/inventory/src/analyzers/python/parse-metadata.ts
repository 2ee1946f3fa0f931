import type { FoundPackage } from '../../package.js';

/** Classifier leaves that say a license was approved, not which one. */
const UNSPECIFIC_CLASSIFIERS = new Set(['OSI Approved', 'DFSG approved']);
const MEANINGLESS_LICENSES = new Set(['', 'unknown', 'none']);

/**
 * Core metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, a single-file `*.egg-info`): RFC 822
 * style headers up to the first blank line, then the description, which is not read. Null when the
 * headers name no package.
 */
export function parsePythonMetadata(text: string, path: string): FoundPackage | null {
  const headers = readHeaders(text);
  const name = headers.get('name')?.[0]?.trim();
  const version = headers.get('version')?.[0]?.trim();
  if (!name || !version) return null;
  const licenses = declaredLicenses(headers);
  return { type: 'pypi', name, version, path, ...(licenses.length > 0 && { licenses }) };
}

/** Core metadata fields that old setuptools wrote after the Description header. */
const FIELDS_AFTER_DESCRIPTION =
  /^(Keywords|Platform|Supported-Platform|Classifier|Requires(-Dist|-Python|-External)?|Provides(-Dist|-Extra)?|Obsoletes(-Dist)?|Project-URL|Description-Content-Type|License(-File)?):/;

/**
 * Header values by lower-cased name; a repeated header (Classifier) keeps every value in order. Old
 * setuptools wrote the description as a folded `Description:` header, blank lines included, with more
 * headers after it; elsewhere a blank line ends the headers.
 */
function readHeaders(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const lines = text.split(/\r?\n/);
  let key: string | undefined;
  for (const [index, line] of lines.entries()) {
    const folded = /^[ \t]/.test(line);
    if (line.trim() === '' && !folded) {
      if (key === 'description' && continuesDescription(lines, index + 1)) continue;
      break;
    }
    if (folded) {
      // A folded line continues the previous header's last value.
      const values = key === undefined ? undefined : headers.get(key);
      const last = values?.pop();
      if (values && last !== undefined) values.push(`${last}\n${line.trim()}`);
      continue;
    }
    const match = /^([A-Za-z0-9][A-Za-z0-9_-]*):[ \t]?(.*)$/.exec(line);
    if (!match?.[1]) continue;
    key = match[1].toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), match[2] ?? '']);
  }
  return headers;
}

/**
 * Whether the blank line before `from` is inside a folded Description: the next text is indented (its
 * next paragraph) or is a header setuptools writes after it. Copies with trailing spaces stripped turn
 * the description's indented blank lines into empty ones, which must not end the headers.
 */
function continuesDescription(lines: readonly string[], from: number): boolean {
  let at = from;
  while (lines[at] === '') at++;
  const next = lines[at] ?? '';
  return /^[ \t]/.test(next) || FIELDS_AFTER_DESCRIPTION.test(next);
}

/**
 * License-Expression (metadata 2.4, SPDX) first; then a one-line License field (some packages put the
 * whole license text there, which names nothing); then `License ::` classifiers.
 */
function declaredLicenses(headers: Map<string, string[]>): string[] {
  const expression = headers.get('license-expression')?.[0]?.trim();
  if (expression) return [expression];
  const license = headers.get('license')?.[0]?.trim() ?? '';
  if (!license.includes('\n') && !MEANINGLESS_LICENSES.has(license.toLowerCase())) return [license];
  return (headers.get('classifier') ?? []).flatMap((classifier) => {
    const parts = classifier.split('::').map((part) => part.trim());
    const leaf = parts.at(-1) ?? '';
    return parts[0] === 'License' && parts.length > 1 && !UNSPECIFIC_CLASSIFIERS.has(leaf) ? [leaf] : [];
  });
}
