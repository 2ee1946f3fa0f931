import { CustomsError, errorCodesIn, type ErrorCodeIn } from '@customs/errors';

/** The codes this package raises (declared in @customs/errors); callers switch on these. */
export const policyErrorCodes = errorCodesIn('policy');

export type PolicyErrorCode = ErrorCodeIn<'policy'>;

/** The policy cannot be applied as written (an ignore entry's expiry is not a date). */
export class InvalidPolicyError extends CustomsError {
  declare readonly code: PolicyErrorCode;

  constructor(problem: string, hint: string) {
    super('POLICY_INVALID', `the verdict policy is invalid: ${problem}`, { hint });
  }
}
