import path from 'node:path';
import type { FileSet } from '../../file-set.js';
import type { FoundPackage } from '../../package.js';
import { parseCopyright } from './parse-copyright.js';

const DOC = 'usr/share/doc/';

/** `usr/share/doc/<package>/copyright`, exactly that deep. */
export function isCopyrightFile(filePath: string): boolean {
  if (!filePath.startsWith(DOC) || !filePath.endsWith('/copyright')) return false;
  return filePath.split('/').length === 5;
}

/** `usr/share/doc/<package>` itself: some packages link their doc directory to another package's. */
export function isDocDirectory(filePath: string): boolean {
  return filePath.startsWith(DOC) && filePath.length > DOC.length && !filePath.includes('/', DOC.length);
}

/** The copyright file of a package's doc directory, following a directory link within the layer. */
function copyrightOf(files: FileSet, name: string): string | undefined {
  const direct = files.text(`${DOC}${name}/copyright`);
  if (direct !== undefined) return direct;
  const link = files.linkTarget(`${DOC}${name}`);
  if (link === undefined) return undefined;
  const target = path.posix.resolve(`/${DOC}`, link).slice(1);
  return files.text(`${target}/copyright`);
}

/**
 * Each package with the licenses its DEP-5 copyright file declares (its own doc directory, else its
 * source package's, which is where a linked doc directory usually points). Packages whose file is
 * missing from this layer or is not machine-readable keep no licenses: unknown, not guessed.
 */
export function withCopyrightLicenses(packages: readonly FoundPackage[], files: FileSet): FoundPackage[] {
  const parsed = new Map<string, string[] | null>();
  const licensesOf = (name: string): string[] | null => {
    if (!parsed.has(name)) {
      const text = copyrightOf(files, name);
      parsed.set(name, text === undefined ? null : parseCopyright(text));
    }
    return parsed.get(name) ?? null;
  };
  return packages.map((pkg) => {
    const licenses = licensesOf(pkg.name) ?? (pkg.source ? licensesOf(pkg.source.name) : null);
    return licenses?.length ? { ...pkg, licenses } : pkg;
  });
}
