import parse from 'spdx-expression-parse';

/** A license as a package declares it, read as an SPDX expression when it is one. */
export interface DeclaredLicense {
  text: string;
  /** The parsed expression; null for free text ("BSD-like", "see LICENSE"). */
  info: parse.Info | null;
}

export function readLicense(text: string): DeclaredLicense {
  const trimmed = text.trim();
  try {
    const info = parse(trimmed);
    // A LicenseRef needs its text in the same document (SPDX hasExtractedLicensingInfos): we have none.
    return { text: trimmed, info: referencesOnlyListed(info) ? info : null };
  } catch {
    return { text: trimmed, info: null };
  }
}

export function isCompound(license: DeclaredLicense): boolean {
  return license.info !== null && 'conjunction' in license.info;
}

/**
 * Every declared license together as one SPDX expression (several declarations all apply, so they
 * are joined with AND), or null when any of them is free text: a partial expression would claim
 * less than the package says.
 */
export function combinedExpression(licenses: readonly DeclaredLicense[]): string | null {
  if (licenses.length === 0 || licenses.some((license) => license.info === null)) return null;
  if (licenses.length === 1) return licenses[0]?.text ?? null;
  return licenses.map((license) => (isCompound(license) ? `(${license.text})` : license.text)).join(' AND ');
}

function referencesOnlyListed(info: parse.Info): boolean {
  if ('conjunction' in info) return referencesOnlyListed(info.left) && referencesOnlyListed(info.right);
  return !/^(LicenseRef-|DocumentRef-)/.test(info.license);
}
