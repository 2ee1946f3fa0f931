import { CustomsError } from '@customs/errors';

/** An rpm database or header blob that does not have the structure its format requires. */
export class RpmDbError extends CustomsError {
  constructor(message: string, path?: string) {
    super('RPMDB_INVALID', message, {
      hint: 'the rpm database is corrupt or truncated; `rpm --rebuilddb` in the image rewrites it',
      ...(path === undefined ? {} : { context: { path } }),
    });
  }
}
