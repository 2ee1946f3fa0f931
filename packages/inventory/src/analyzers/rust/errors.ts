import { CustomsError } from '@customs/errors';

/** A Cargo.lock or a binary's cargo-auditable section that cannot be read; the scan goes on. */
export class CargoFileError extends CustomsError {
  constructor(path: string, problem: string, cause?: unknown) {
    super('CARGO_FILE_INVALID', `cannot read ${path}: ${problem}`, {
      cause,
      hint: 'crates from this file are missing from the inventory; check that it is not truncated',
      context: { path },
    });
  }
}
