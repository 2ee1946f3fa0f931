import { CustomsError } from '@customs/errors';

/** A .deps.json or packages.lock.json that cannot be read; the scan goes on without it. */
export class NugetFileError extends CustomsError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('NUGET_FILE_INVALID', `cannot read ${path}: ${problem}`, {
      cause,
      hint: 'NuGet packages from this file are missing from the inventory; check that it is not truncated',
      context: { path },
    });
  }
}
