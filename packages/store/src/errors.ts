import { CustomsError } from '@customs/errors';

export class LayerLeaseAbortedError extends CustomsError {
  constructor(layerDigest: string, reason: unknown) {
    super('LAYER_LEASE_ABORTED', `stopped waiting for another worker to finish layer ${layerDigest}`, {
      cause: reason,
      context: { layer: layerDigest },
    });
  }
}

export class TokenScopeError extends CustomsError {
  constructor(scope: string) {
    super('INVALID_TOKEN_SCOPE', `"${scope}" is not a token scope`, {
      hint: 'scopes are verdicts:read, scans:write and admin',
    });
  }
}

/** Admin may do anything anywhere: limiting it to repositories would promise what it cannot keep. */
export class TokenRepositoriesError extends CustomsError {
  constructor(problem: string) {
    super('INVALID_TOKEN_SCOPE', `a token cannot be limited to these repositories: ${problem}`, {
      hint: 'give repository globs (team-a/**) only to verdicts:read and scans:write tokens',
    });
  }
}

export class TokenFormatError extends CustomsError {
  constructor() {
    super(
      'INVALID_TOKEN_FORMAT',
      'an API token must start with cst_ and hold at least 32 random characters',
      {
        hint: 'make one with: echo cst_$(openssl rand -hex 24)',
      },
    );
  }
}
