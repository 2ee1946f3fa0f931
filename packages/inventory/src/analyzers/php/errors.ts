import { CustomsError } from '@customs/errors';

/** A composer.lock or installed.json that cannot be read; the scan goes on without it. */
export class ComposerFileError extends CustomsError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('COMPOSER_FILE_INVALID', `cannot read ${path}: ${problem}`, {
      cause,
      hint: 'PHP packages from this file are missing from the inventory; check that it is not truncated',
      context: { path },
    });
  }
}
