import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { parseVex } from './parse-vex.js';

const TESTDATA = new URL('../testdata/', import.meta.url);

/** The upstream bytes (testdata/SOURCES.md): a test reading an edited copy fails. */
const SHA256: Record<string, string> = {
  'go-vex-v0.2.0.json': 'b4bd86d5855f94bcac0a92d3100ae7b85d050bd2e5fb9037a200e5f5f0b073a2',
  'go-vex-v020-1.vex.json': '847c060c549bf714c1b3fe8d689cd12a1e6ad084acf8e573a1723b14fd4ed688',
  'openvex-spec-minimal.json': 'ee524290bd97236d0c238b8dab4a5ad8694095f2fc40308635828cf2e802078d',
};

function upstream(name: string): string {
  const bytes = readFileSync(new URL(name, TESTDATA));
  assert.equal(createHash('sha256').update(bytes).digest('hex'), SHA256[name], `${name} was edited`);
  return bytes.toString('utf8');
}

describe('parseVex', () => {
  it('reads the go-vex 0.2.0 example: statements, subcomponents, justification', () => {
    const document = parseVex(upstream('go-vex-v0.2.0.json'), 'go-vex-v0.2.0.json');
    assert.equal(document.author, 'The OpenVEX Project <openvex@openssf.org>');
    assert.equal(document.statements.length, 5);
    const notAffected = document.statements[3];
    assert.deepEqual(notAffected?.vulnerability, ['CVE-2023-3446']);
    assert.equal(notAffected?.status, 'not_affected');
    assert.equal(notAffected?.justification, 'vulnerable_code_not_present');
    assert.equal(notAffected?.impactStatement, 'affected functions were removed before packaging');
    assert.deepEqual(notAffected?.products[0]?.subcomponents, [
      ['pkg:apk/alpine/libssl3@3.0.8-r3'],
      ['pkg:apk/alpine/libcrypto3@3.0.8-r3'],
    ]);
    // Statements without their own timestamp inherit the document's.
    assert.equal(notAffected?.timestamp.toISOString(), '2023-07-18T00:28:47.696Z');
  });

  it("reads the spec's minimal document", () => {
    const document = parseVex(upstream('openvex-spec-minimal.json'), 'spec');
    assert.deepEqual(
      document.statements.map((statement) => [statement.status, statement.products[0]?.ids]),
      [['fixed', ['pkg:apk/wolfi/git@2.39.0-r1?arch=armv7']]],
    );
  });

  it('refuses a document the official schema refuses, naming what is missing', () => {
    assert.throws(
      () => parseVex(upstream('go-vex-v020-1.vex.json'), 'go-vex-v020-1.vex.json'),
      (error: unknown) =>
        isCustomsError(error, 'VEX_INVALID') &&
        error.message.includes('go-vex-v020-1.vex.json') &&
        error.message.includes("must have required property 'timestamp'") &&
        error.message.includes("must have required property 'version'"),
    );
  });

  it('refuses not_affected without a justification or an impact statement (generated document)', () => {
    const generated = JSON.parse(upstream('openvex-spec-minimal.json')) as { statements: object[] };
    generated.statements = [{ ...generated.statements[0], status: 'not_affected' }];
    assert.throws(
      () => parseVex(generated, 'generated'),
      (error: unknown) =>
        isCustomsError(error, 'VEX_INVALID') && error.message.includes("required property 'justification'"),
    );
  });

  it('refuses an unknown status and text that is not JSON', () => {
    const generated = JSON.parse(upstream('openvex-spec-minimal.json')) as { statements: object[] };
    generated.statements = [{ ...generated.statements[0], status: 'maybe' }];
    assert.throws(
      () => parseVex(generated, 'generated'),
      (error: unknown) =>
        isCustomsError(error, 'VEX_INVALID') &&
        error.message.includes('/statements/0/status must be equal to one of the allowed values'),
    );
    assert.throws(
      () => parseVex('{"@context":', 'truncated.json'),
      /truncated.json is not valid OpenVEX 0.2.0: not JSON/,
    );
  });
});
