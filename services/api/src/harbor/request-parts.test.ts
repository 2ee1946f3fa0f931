import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { HARBOR_SPEC_PATH, HARBOR_SPEC_SHA256 } from './harbor-spec.js';
import { isScanRequestType, metadataTypeFor, MIME, reportKindOf } from './media-types.js';
import { parseRegistryAuthorization } from './registry-credential.js';

describe('the copied Harbor spec', () => {
  it('is the file SOURCES.md records, unedited', () => {
    const hash = createHash('sha256').update(readFileSync(HARBOR_SPEC_PATH)).digest('hex');
    assert.equal(hash, HARBOR_SPEC_SHA256);
    const sources = readFileSync(new URL('SOURCES.md', `file://${HARBOR_SPEC_PATH}`), 'utf8');
    assert.ok(sources.includes(HARBOR_SPEC_SHA256));
  });
});

describe('Harbor MIME types', () => {
  it('reads the report an Accept header names, whatever its spacing and case', () => {
    assert.equal(reportKindOf(MIME.vulnerabilityReport).kind, 'vulnerability');
    assert.deepEqual(reportKindOf('Application/VND.security.vulnerability.report;version=1.1'), {
      kind: 'vulnerability',
      mediaType: MIME.vulnerabilityReport,
    });
    assert.equal(reportKindOf(MIME.harborVulnerabilityReport).mediaType, MIME.harborVulnerabilityReport);
    assert.equal(reportKindOf(MIME.sbomReport).kind, 'sbom');
    assert.equal(reportKindOf(undefined).kind, 'vulnerability');
    assert.equal(reportKindOf(MIME.rawReport).kind, 'unsupported');
    assert.equal(
      reportKindOf('application/vnd.security.vulnerability.report; version=1.0').kind,
      'unsupported',
    );
  });

  it('answers metadata 1.0 only to who asks for 1.0, and takes either scan request version', () => {
    assert.equal(metadataTypeFor(MIME.metadataV1_0), MIME.metadataV1_0);
    assert.equal(metadataTypeFor(undefined), MIME.metadata);
    assert.ok(isScanRequestType(MIME.scanRequestV1_0));
    assert.ok(isScanRequestType('application/json; charset=utf-8'));
    assert.ok(!isScanRequestType('text/plain'));
  });
});

describe('registry.authorization', () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('is Harbor’s robot account as Basic name:secret; the secret may hold colons', () => {
    assert.deepEqual(parseRegistryAuthorization(basic('robot$library+scan:se:cr:et')), {
      username: 'robot$library+scan',
      password: 'se:cr:et',
    });
    assert.equal(parseRegistryAuthorization(undefined), null);
  });

  it('refuses anything else without repeating the value', () => {
    for (const value of ['Bearer eyJhbGciOi.secret-token', basic('no-colon-secret'), 'Basic !!!']) {
      assert.throws(
        () => parseRegistryAuthorization(value),
        (error) => isCustomsError(error, 'INVALID_INPUT') && !error.message.includes(value),
      );
    }
  });
});
