import { CustomsError } from '@customs/errors/customs-error';

/** A string that the ecosystem's version scheme cannot order. Never guessed lower or higher. */
export class InvalidVersionError extends CustomsError {
  readonly ecosystem: string;
  readonly version: string;
  readonly reason: string;

  constructor(ecosystem: string, version: string, reason: string) {
    super('INVALID_VERSION', `invalid ${ecosystem} version ${JSON.stringify(version)}: ${reason}`, {
      hint: `the advisory and the package must come from the same ecosystem; no ${ecosystem} tool orders this string`,
    });
    this.ecosystem = ecosystem;
    this.version = version;
    this.reason = reason;
  }
}

/** An ecosystem name with no version scheme behind it. */
export class UnknownEcosystemError extends CustomsError {
  readonly ecosystem: string;
  readonly supported: readonly string[];

  constructor(ecosystem: string, supported: readonly string[]) {
    super('UNKNOWN_ECOSYSTEM', `unknown ecosystem ${JSON.stringify(ecosystem)}`, {
      hint: `supported ecosystems (OSV names, any case, with an optional ":release" suffix): ${supported.join(', ')}`,
    });
    this.ecosystem = ecosystem;
    this.supported = supported;
  }
}

/** A value parsed by one scheme was handed to another: comparing them would be meaningless. */
export class VersionSchemeMismatchError extends CustomsError {
  constructor(scheme: string, version: string) {
    super(
      'VERSION_SCHEME_MISMATCH',
      `version ${JSON.stringify(version)} was parsed by another scheme than ${scheme}`,
      { hint: 'parse each version with the scheme that compares it' },
    );
  }
}

/** An npm range expression node-semver cannot read. */
export class InvalidRangeError extends CustomsError {
  readonly range: string;

  constructor(ecosystem: string, range: string) {
    super('INVALID_RANGE', `invalid ${ecosystem} range ${JSON.stringify(range)}`, {
      hint: 'use npm range syntax: ">=1.2.3 <2", "^1.2", "1.x || 2.x", "1.0.0 - 2.0.0"',
    });
    this.range = range;
  }
}
