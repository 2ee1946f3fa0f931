import { CustomsError, type ErrorCode } from '@customs/errors';

/** Every code this folder raises; the API's own codes come back from the server as they are. */
export const serverControlErrorCodes = [
  'SERVER_UNREACHABLE',
  'SERVER_ANSWER_INVALID',
] as const satisfies readonly ErrorCode[];

export type ServerControlErrorCode = (typeof serverControlErrorCodes)[number];

/** The running `customs serve` holds the database, but its API did not answer. */
export class ServerUnreachableError extends CustomsError {
  constructor(pid: number, url: string, problem: string, cause?: unknown) {
    super(
      'SERVER_UNREACHABLE',
      `customs serve (pid ${pid}) has the database open, but its API at ${url} did not answer: ${problem}`,
      {
        hint: 'wait until it has started (or stopped), then try again; or run this command with --db-dir pointing elsewhere',
        cause,
      },
    );
  }
}

/** The server answered something that is not what the contract says. */
export class ServerAnswerInvalidError extends CustomsError {
  constructor(url: string, problem: string) {
    super('SERVER_ANSWER_INVALID', `customs serve at ${url} answered unexpectedly: ${problem}`, {
      hint: 'the server and this command may be different versions of Customs; run the same version',
    });
  }
}
