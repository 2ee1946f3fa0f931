import { CustomsError } from '@customs/errors';

const SOME_PACKAGES_MISSING =
  'packages from this file are missing from the inventory; check that the file is not truncated or hand-edited';

/**
 * Every code a package manifest or database that cannot be read raises, with what the user can do.
 * The ecosystems keep their own codes because their parsers' tests name them; the hint says which
 * packages went missing. PACKAGE_FILE_UNPARSEABLE is for a failure no parser anticipated, which
 * `parserAnalyzer` wraps with the file's path.
 */
const HINTS = {
  PACKAGE_FILE_UNPARSEABLE: SOME_PACKAGES_MISSING,
  NPM_FILE_INVALID: SOME_PACKAGES_MISSING,
  PYTHON_FILE_INVALID: SOME_PACKAGES_MISSING,
  JAVA_FILE_INVALID:
    'Maven packages from this file are missing from the inventory; check that it is not truncated',
  NUGET_FILE_INVALID:
    'NuGet packages from this file are missing from the inventory; check that it is not truncated',
  COMPOSER_FILE_INVALID:
    'PHP packages from this file are missing from the inventory; check that it is not truncated',
  CARGO_FILE_INVALID: 'crates from this file are missing from the inventory; check that it is not truncated',
  RUBY_FILE_INVALID:
    'gems from this file are missing from the inventory; check that it is not truncated or hand-edited',
} as const;

export type PackageFileCode = keyof typeof HINTS;

/** A package manifest, lockfile or database that cannot be read as its format; the scan goes on without it. */
export class PackageFileError extends CustomsError {
  constructor(code: PackageFileCode, path: string, problem: string, cause?: unknown) {
    super(code, `cannot read ${path}: ${problem}`, {
      ...(cause === undefined ? {} : { cause }),
      hint: HINTS[code],
      context: { path },
    });
  }
}
