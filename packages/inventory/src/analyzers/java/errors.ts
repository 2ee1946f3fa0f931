import { CustomsError } from '@customs/errors';

/** A Java archive or Gradle lockfile that cannot be read; the scan goes on without it. */
export class JavaFileError extends CustomsError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('JAVA_FILE_INVALID', `cannot read ${path}: ${problem}`, {
      cause,
      hint: 'Maven packages from this file are missing from the inventory; check that it is not truncated',
      context: { path },
    });
  }
}
