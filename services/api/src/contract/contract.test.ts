import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import {
  errorCodes,
  errorDocument,
  isCustomsError,
  type CustomsError,
  type ErrorDocument,
} from '@customs/errors';
import { PACKAGE_TYPES } from '@customs/inventory';
import { SEVERITIES } from '@customs/matcher';
import { InvalidReferenceError, ManifestNotFoundError } from '@customs/oci';
import { SubscriptionInvalidError, SubscriptionNotFoundError } from '@customs/notifications';
import { InvalidPolicyError, policyErrorCodes } from '@customs/policy';
import { QueueUnavailableError } from '@customs/queue';
import { reportErrorCodes } from '@customs/report';
import {
  RegistryNotConfiguredError,
  scanErrorCodes,
  ScanNotFoundError,
  TagResolutionError,
} from '@customs/scans';
import { SCAN_STATUSES, TokenScopeError, TOKEN_SCOPES, type Scan } from '@customs/store';
import { vulnDbErrorCodes } from '@customs/vulndb';
import type { components } from '../../../../openapi/generated/customs.js';
import * as errors from '../errors.js';
import { HTTP_STATUS_OF_CODE } from '../http-errors.js';
import { CONTRACT_PATH, loadContract } from './load-contract.js';
import { createRequestValidators } from './request-validator.js';

const run = promisify(execFile);
const contract = loadContract();
const GENERATED = fileURLToPath(new URL('../../../../openapi/generated/customs.d.ts', import.meta.url));

function schema(name: string): Record<string, unknown> {
  const components = contract.document.components;
  assert.ok(typeof components === 'object' && components !== null && 'schemas' in components);
  const schemas = components.schemas;
  assert.ok(typeof schemas === 'object' && schemas !== null && name in schemas);
  return Object.fromEntries(Object.entries(Object.getOwnPropertyDescriptor(schemas, name)?.value ?? {}));
}

function enumOf(name: string): unknown[] {
  const values = schema(name).enum;
  assert.ok(Array.isArray(values), `${name} has an enum`);
  return values;
}

describe('the contract and the code cannot drift', () => {
  it('the committed types are what openapi-typescript generates from openapi/customs.yaml now', async () => {
    const packageJson = createRequire(import.meta.url).resolve('openapi-typescript/package.json');
    const cli = join(packageJson, '..', 'bin', 'cli.js');
    const dir = await mkdtemp(join(tmpdir(), 'customs-contract-'));
    try {
      const output = join(dir, 'customs.d.ts');
      await run(process.execPath, [cli, CONTRACT_PATH, '--output', output]);
      const [fresh, committed] = await Promise.all([readFile(output), readFile(GENERATED)]);
      assert.ok(
        fresh.equals(committed),
        'openapi/generated/customs.d.ts is stale: run `npm run generate -w @customs/api` and commit it',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the contract's ErrorCode enum is every declared error code, and holds every code the API answers", () => {
    const declared = Object.keys(errorCodes);
    assert.deepEqual([...enumOf('ErrorCode')].sort(), [...declared].sort());
    for (const code of Object.keys(HTTP_STATUS_OF_CODE)) assert.ok(declared.includes(code), code);
  });

  it("the error document the API and the webhook answer is the contract's Error schema", () => {
    // Assignable both ways: the same fields, and the generated enum is exactly the declared codes.
    const document: ErrorDocument = errorDocument('SCAN_NOT_FOUND', 'no scan x', 'use the id');
    const answered: components['schemas']['Error'] = document;
    const read: ErrorDocument = answered;
    assert.deepEqual(Object.keys(read.error), ['code', 'message', 'hint']);
  });

  it('the ErrorCode description states each code with the status the table gives it', () => {
    const description = String(schema('ErrorCode').description);
    for (const [code, status] of Object.entries(HTTP_STATUS_OF_CODE)) {
      const group = description.split(';').find((part) => new RegExp(`\\b${code}\\b`).test(part));
      assert.equal(
        /\b(\d{3})\b/.exec(group ?? '')?.[1],
        String(status),
        `${code} is documented under ${status}`,
      );
    }
  });

  it('every error the API and the libraries it calls can raise has a code in the table', () => {
    const scan: Scan = {
      id: 'a3b1c2d4-0000-4000-8000-000000000000',
      digest: `sha256:${'a'.repeat(64)}`,
      registry: 'r',
      repository: 'x',
      tag: null,
      trigger: 'api',
      status: 'failed',
      error: null,
      attempts: 1,
      createdAt: new Date(0),
      startedAt: null,
      finishedAt: null,
      layersCached: null,
      layersFetched: null,
    };
    const raised: CustomsError[] = [
      new errors.UnauthenticatedError(),
      new errors.ScopeMissingError(['admin']),
      new errors.RequestInvalidError(['x']),
      new errors.RouteNotFoundError('GET', '/'),
      new errors.ImageNotFoundError(scan.digest),
      new errors.ScanPendingError(scan.digest, scan),
      new errors.ScanFailedError(scan.digest, scan),
      new errors.ImageIsIndexError(scan.digest, []),
      new errors.TokenNotFoundError(scan.id),
      new errors.ImportSourceForbiddenError('/etc'),
      new errors.UpdateSettingForbiddenError('caFile'),
      new errors.RepositoryForbiddenError(['team-a/**'], 'team-b/api', scan.digest),
      new TokenScopeError('root'),
      new QueueUnavailableError('x', null),
      new InvalidPolicyError('x', 'y'),
      new InvalidReferenceError('Bad', 'not lowercase'),
      new ManifestNotFoundError('r', 'x', '1'),
      new ScanNotFoundError(scan.id),
      new RegistryNotConfiguredError('r'),
      new TagResolutionError('r/x:1', new Error('down')),
      new SubscriptionNotFoundError(scan.id),
      new SubscriptionInvalidError('url', 'carries credentials'),
    ];
    const exported = Object.values(errors).filter((value) => typeof value === 'function');
    assert.equal(
      raised.filter((error) => exported.some((type) => error instanceof type)).length,
      exported.length,
    );
    // What importAdvisories and updateVulnDb raise when a source is refused, unreadable or down;
    // IMPORT_ABORTED needs a signal the API never gives, BUNDLE_INVALID a bundle import it does not run.
    const notFromImport: readonly string[] = ['IMPORT_ABORTED', 'BUNDLE_INVALID'];
    const importCodes = vulnDbErrorCodes.filter((code) => !notFromImport.includes(code));
    const codes = [
      ...raised.map((error) => error.code),
      ...reportErrorCodes,
      ...policyErrorCodes,
      ...importCodes,
      ...scanErrorCodes,
    ];
    for (const code of codes) assert.ok(Object.hasOwn(HTTP_STATUS_OF_CODE, code), `${code} is in the table`);
    assert.ok(raised.every((error) => isCustomsError(error)));
  });

  it("the contract's enums are the ones the packages define", () => {
    assert.deepEqual(enumOf('Severity'), [...SEVERITIES]);
    assert.deepEqual(enumOf('PackageType'), [...PACKAGE_TYPES]);
    assert.deepEqual(enumOf('TokenScope'), [...TOKEN_SCOPES]);
    assert.deepEqual(enumOf('ScanStatus'), [...SCAN_STATUSES]);
  });

  it('every operation names a token scope, except the open ones, which say security: []', () => {
    const open = contract.operations
      .filter((operation) => operation.scopes === null)
      .map((operation) => operation.operationId);
    assert.deepEqual(open.sort(), [
      'getContract',
      'getDocs',
      'getHealth',
      'getMetrics',
      'getReadiness',
      'reviewAdmission',
    ]);
    for (const operation of contract.operations) {
      for (const named of operation.scopes ?? []) {
        assert.ok(
          TOKEN_SCOPES.some((scope) => scope === named),
          `${operation.operationId}: ${named}`,
        );
      }
    }
  });
});

describe('request validation from the contract', () => {
  const validators = createRequestValidators(contract);
  const validate = (id: string) => {
    const found = validators.get(id);
    assert.ok(found);
    return found;
  };

  it('coerces query text to the declared types and fills defaults', () => {
    const result = validate('getImageReport')({
      params: { digest: `sha256:${'b'.repeat(64)}` },
      query: { ignoreUnfixed: 'true' },
      body: undefined,
    });
    assert.deepEqual(result, {
      ok: true,
      path: { digest: `sha256:${'b'.repeat(64)}` },
      query: { ignoreUnfixed: true },
      body: undefined,
    });
    const sbom = validate('getImageSbom')({
      params: { digest: `sha256:${'b'.repeat(64)}` },
      query: {},
      body: undefined,
    });
    assert.ok(sbom.ok && sbom.query.format === 'cyclonedx');
  });

  it('lists every problem at once, path, query and body', () => {
    const result = validate('requestScan')({
      params: {},
      query: { x: '1' },
      body: { registry: 'r', digest: 'sha256:x' },
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.problems.includes('query: unexpected "x"'));
    assert.ok(
      !result.ok && result.problems.some((problem) => problem.startsWith('body.digest: must match pattern')),
    );
    assert.ok(!result.ok && result.problems.includes('body: "repository" is required'));
  });

  it('never coerces a JSON body', () => {
    const result = validate('createToken')({ params: {}, query: {}, body: { name: 'n', scopes: 'admin' } });
    assert.ok(!result.ok && result.problems.includes('body.scopes: must be array'));
  });
});
