import { CustomsError } from '@customs/errors';

/** An npm, yarn or pnpm file that cannot be read as its format; the scan goes on without it. */
export class NpmFileError extends CustomsError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('NPM_FILE_INVALID', `cannot read ${path}: ${problem}`, {
      cause,
      hint: 'packages from this file are missing from the inventory; check that the file is not truncated or hand-edited',
      context: { path },
    });
  }
}
