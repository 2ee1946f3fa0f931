import { CustomsError, errorCodesIn, type ErrorCodeIn } from '@customs/errors';
import { SEVERITIES } from '@customs/model';

/** The codes this package raises (declared in @customs/errors); callers switch on these. */
export const reportErrorCodes = errorCodesIn('report');

export type ReportErrorCode = ErrorCodeIn<'report'>;

export class ReportError extends CustomsError {
  declare readonly code: ReportErrorCode;

  constructor(code: ReportErrorCode, message: string, hint: string) {
    super(code, message, { hint });
  }
}

/** A severity filter named something that is not a severity (`--severity HIGH,URGENT`). */
export class InvalidSeverityError extends ReportError {
  constructor(given: string) {
    super(
      'SEVERITY_INVALID',
      `unknown severity "${given}"`,
      `use a comma-separated list of ${SEVERITIES.join(', ')}`,
    );
  }
}

/** A report format was asked for that this package does not write. */
export class UnsupportedFormatError extends ReportError {
  constructor(given: string, supported: readonly string[]) {
    super(
      'REPORT_FORMAT_UNSUPPORTED',
      `unknown report format "${given}"`,
      `use one of ${supported.join(', ')}`,
    );
  }
}
