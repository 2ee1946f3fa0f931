import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isCustomsError } from '@customs/errors';
import { vulnStatement } from './vuln-statement.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const input = {
  subject: { name: '127.0.0.1:5000/e2e/app', digest },
  scanner: {
    uri: 'pkg:generic/customs@0.1.0',
    version: '0.1.0',
    db: { uri: 'https://osv.dev', version: '7' },
    result: { findings: [] },
  },
  parameters: ['--ignore-unfixed'],
  startedAt: new Date('2026-01-02T03:04:05.000Z'),
  finishedAt: new Date('2026-01-02T03:04:09.500Z'),
};

it('is an in-toto Statement v1 about the image with cosign vuln/v1 as the predicate', () => {
  assert.deepEqual(vulnStatement(input), {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: '127.0.0.1:5000/e2e/app', digest: { sha256: 'ab'.repeat(32) } }],
    predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1',
    predicate: {
      invocation: { parameters: ['--ignore-unfixed'], uri: '', event_id: '', 'builder.id': '' },
      scanner: {
        uri: 'pkg:generic/customs@0.1.0',
        version: '0.1.0',
        db: { uri: 'https://osv.dev', version: '7' },
        result: { findings: [] },
      },
      metadata: { scanStartedOn: '2026-01-02T03:04:05.000Z', scanFinishedOn: '2026-01-02T03:04:09.500Z' },
    },
  });
});

it('a subject digest that is not sha256 is refused', () => {
  assert.throws(
    () => vulnStatement({ ...input, subject: { ...input.subject, digest: 'sha512:00' } }),
    (error) => isCustomsError(error, 'INVALID_OPTION'),
  );
});
