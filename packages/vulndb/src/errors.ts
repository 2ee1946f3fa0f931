import { CustomsError, errorCodesIn, type ErrorCodeIn } from '@customs/errors';

/** The codes this package raises (declared in @customs/errors); callers switch on these. */
export const vulnDbErrorCodes = errorCodesIn('vulndb');

export type VulnDbErrorCode = ErrorCodeIn<'vulndb'>;

export class VulnDbError extends CustomsError {
  declare readonly code: VulnDbErrorCode;

  constructor(
    code: VulnDbErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; path?: string } = {},
  ) {
    const { path, ...rest } = options;
    super(code, message, { ...rest, ...(path !== undefined && { context: { path } }) });
  }
}

/** The import source (directory, zip, object store) could not be read at all. */
export class SourceUnreadableError extends VulnDbError {
  constructor(source: string, problem: string, cause?: unknown) {
    super('SOURCE_UNREADABLE', `cannot read advisories from ${source}: ${problem}`, {
      hint: 'check the path or URL, and that it is a directory of OSV records, an OSV all.zip, or an s3:// prefix',
      cause,
      path: source,
    });
  }
}

/** The source is of a kind import does not take (a scheme, a file type). */
export class SourceUnsupportedError extends VulnDbError {
  constructor(source: string, problem: string) {
    super('SOURCE_UNSUPPORTED', `cannot import ${source}: ${problem}`, {
      hint: 'give a directory, a .zip file, an https:// URL of a zip, or s3://bucket/prefix',
      path: source,
    });
  }
}

/** An HTTP download failed after its retries. */
export class DownloadFailedError extends VulnDbError {
  constructor(url: string, problem: string, cause?: unknown) {
    super('DOWNLOAD_FAILED', `download of ${url} failed: ${problem}`, {
      hint: 'check the URL and the network; the server may be down, retry later',
      cause,
      path: url,
    });
  }
}

/** The caller's AbortSignal fired; what was committed before stays. */
export class ImportAbortedError extends VulnDbError {
  constructor(source: string) {
    super('IMPORT_ABORTED', `import of ${source} was cancelled`, {
      hint: 'records committed before the cancel stay; run the import again to finish it',
      path: source,
    });
  }
}

/** `db update` failed: nothing it fetched was committed, the previous data version still serves. */
export class UpdateFailedError extends VulnDbError {
  constructor(problem: string, cause?: unknown) {
    super(
      'UPDATE_FAILED',
      `vulnerability data update failed, the previous data is still in use: ${problem}`,
      {
        hint: 'check the mirror or network named above (and --ca-file for a private CA), then run customs db update again',
        cause,
      },
    );
  }
}

/** A bundle that is not ours, of another schema version, or whose files do not match their checksums. */
export class BundleInvalidError extends VulnDbError {
  constructor(bundle: string, problem: string, cause?: unknown) {
    super('BUNDLE_INVALID', `${bundle} is not a usable vulnerability database bundle: ${problem}`, {
      hint: 'export it again with customs db export (or pull it again) and import that copy',
      cause,
      path: bundle,
    });
  }
}
