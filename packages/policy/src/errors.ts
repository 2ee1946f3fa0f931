import { CustomsError } from '@customs/errors';

/** Every code this package raises; callers switch on these. */
export const policyErrorCodes = ['POLICY_INVALID'] as const;

export type PolicyErrorCode = (typeof policyErrorCodes)[number];

/** The policy cannot be applied as written (an ignore entry's expiry is not a date). */
export class InvalidPolicyError extends CustomsError {
  declare readonly code: PolicyErrorCode;

  constructor(problem: string, hint: string) {
    super('POLICY_INVALID', `the verdict policy is invalid: ${problem}`, { hint });
  }
}
