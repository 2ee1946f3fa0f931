import { CustomsError } from '@customs/errors';
import type { Scan } from '@customs/store';

/** A request without a usable token. Which of missing, unknown or revoked is not said. */
export class UnauthenticatedError extends CustomsError {
  constructor() {
    super('UNAUTHENTICATED', 'this operation needs a valid API token', {
      hint: 'send Authorization: Bearer <token>; an admin creates tokens with POST /v1/tokens',
    });
  }
}

export class ScopeMissingError extends CustomsError {
  constructor(scopes: readonly string[]) {
    const named = scopes.join(' or ');
    super('TOKEN_SCOPE_MISSING', `this operation needs a token with the ${named} scope`, {
      hint: `ask an admin for a token with ${named} (or admin)`,
    });
  }
}

/** A token limited to repository globs asked about an image outside them. */
export class RepositoryForbiddenError extends CustomsError {
  constructor(globs: readonly string[], repository: string | null, what: string) {
    const where =
      repository === null
        ? `Customs does not know which repository ${what} is in`
        : `${what} is in ${repository}`;
    super('TOKEN_REPOSITORY_FORBIDDEN', `this token is limited to ${globs.join(', ')}; ${where}`, {
      hint: 'use a token for that repository, or ask an admin for one',
    });
  }
}

export class RequestInvalidError extends CustomsError {
  constructor(problems: readonly string[]) {
    super('REQUEST_INVALID', `the request does not match the API contract: ${problems.join('; ')}`, {
      hint: 'see /openapi.yaml (or /docs) for what this operation takes',
    });
  }
}

export class RouteNotFoundError extends CustomsError {
  constructor(method: string, path: string) {
    super('ROUTE_NOT_FOUND', `no operation ${method} ${path}`, { hint: 'see /docs for every operation' });
  }
}

export class ImageNotFoundError extends CustomsError {
  constructor(digest: string, detail = 'Customs has no inventory for it') {
    super('IMAGE_NOT_FOUND', `image ${digest} is unknown: ${detail}`, {
      hint: 'request a scan with POST /v1/scans, or push the image to a registry whose webhook is configured',
      context: { image: digest },
    });
  }
}

export class ScanPendingError extends CustomsError {
  constructor(digest: string, scan: Scan) {
    super('SCAN_PENDING', `image ${digest} is not scanned yet: scan ${scan.id} is ${scan.status}`, {
      hint: `poll GET /v1/scans/${scan.id} and ask again once it is done`,
      context: { image: digest },
    });
  }
}

export class ScanFailedError extends CustomsError {
  constructor(digest: string, scan: Scan) {
    const why = scan.error ? `${scan.error.code}: ${scan.error.message}` : 'no error was recorded';
    super('SCAN_FAILED', `the last scan of image ${digest} (${scan.id}) failed: ${why}`, {
      hint: 'fix the cause (see the error) and request a scan again with POST /v1/scans',
      context: { image: digest },
    });
  }
}

export class ImageIsIndexError extends CustomsError {
  constructor(digest: string, children: ReadonlyArray<{ digest: string; platform: string }>) {
    super('IMAGE_IS_INDEX', `image ${digest} is an index of ${children.length} platform manifests`, {
      hint: `ask for one of them: ${children.map((child) => `${child.platform} ${child.digest}`).join(', ')}`,
      context: { image: digest },
    });
  }
}

export class TokenNotFoundError extends CustomsError {
  constructor(id: string) {
    super('TOKEN_NOT_FOUND', `token ${id} does not exist or is already revoked`, {
      hint: 'GET /v1/tokens lists every token with its id',
    });
  }
}

/** A path on the server's machine is imported only for the local CLI, never for a token alone. */
export class ImportSourceForbiddenError extends CustomsError {
  constructor(source: string) {
    super(
      'IMPORT_SOURCE_FORBIDDEN',
      `importing ${source} through the API needs the local control credential of customs serve: an API token may import https:// and s3:// sources only`,
      { hint: 'run customs db import on the server machine, or import from an https:// URL or s3:// prefix' },
    );
  }
}

export class UpdateSettingForbiddenError extends CustomsError {
  constructor(setting: 'caFile' | 'allowLoopbackHttp') {
    super(
      'IMPORT_SOURCE_FORBIDDEN',
      `an update with ${setting} through the API needs the local control credential of customs serve: an API token may update from https:// and s3:// mirrors and upstream only`,
      { hint: 'run customs db update on the server machine, or leave out the CA file and loopback http' },
    );
  }
}
