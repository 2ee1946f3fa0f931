import { CustomsError } from '@customs/errors';

/** A Python metadata file or lockfile that cannot be read as its format; the scan goes on without it. */
export class PythonFileError extends CustomsError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('PYTHON_FILE_INVALID', `cannot read ${path}: ${problem}`, {
      cause,
      hint: 'packages from this file are missing from the inventory; check that the file is not truncated or hand-edited',
      context: { path },
    });
  }
}
