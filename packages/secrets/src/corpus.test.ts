import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { decodeBase62 } from './base62.js';
import { createSecretScanner } from './secret-scanner.js';

// Samples of Samsung/CredSweeper's public corpus (testdata/SOURCES.md): origin and sha256 pinned.
const testdata = new URL('../testdata/credsweeper/', import.meta.url);
const PINNED: Record<string, string> = {
  github_classic_token: 'c06afa8119447df2de321148a7596fbd9d5146d14716f0eef83406530d70ec42',
  example_jwt: '85fd29c3423b2d67ae5ebface227d4fa6d8c0565f50a06f1cbf98608adc5e3a1',
};

function sample(name: string): Buffer {
  const data = readFileSync(new URL(name, testdata));
  assert.equal(createHash('sha256').update(data).digest('hex'), PINNED[name], `${name} is the upstream copy`);
  return data;
}

function scan(path: string, data: Buffer) {
  const layer = createSecretScanner().startLayer();
  if (layer.wants(path, { size: data.length, kind: 'file' })) layer.scan(path, data);
  return layer.finish().findings;
}

describe("CredSweeper's samples", () => {
  it('the checksum reads as theirs: base62 (0-9A-Za-z) of the CRC32 of the random part', () => {
    assert.equal(decodeBase62('4WZ4EQ'), crc32('0'.repeat(31)));
  });

  it('github_classic_token: a filler token and one without a valid checksum are not reported', () => {
    assert.deepEqual(scan('src/github_classic_token', sample('github_classic_token')), []);
  });

  it('example_jwt: the JWT is found on its line, redacted', () => {
    assert.deepEqual(
      scan('src/example_jwt', sample('example_jwt')).map((f) => [f.ruleId, f.line, f.match]),
      [['jwt', 2, 'eyJh****']],
    );
  });
});
