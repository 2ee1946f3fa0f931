// A real malformed layer: `umoci insert` (Debian's umoci 0.4.7) writes a tar whose last file's data and
// end-of-archive blocks are missing, inside a valid gzip stream with a valid digest. build.sh checks it
// really is truncated. The scan must fail, naming the image, that layer and the cause.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertScanError, runCustoms } from '../support/customs-cli.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { loadGroundTruth } from '../support/ground-truth.js';

const e2e = e2eEnvironment();

describe('customs inventory <image with a truncated layer>', { skip: e2e.skip }, () => {
  const images = e2e.images();
  const truth = loadGroundTruth(images.expected);

  test('exits 1 with one line naming the image, the truncated layer and "truncated"', async () => {
    const truncated = truth.truncated.layers.at(-1);
    assert.ok(truncated, 'the truncated image has layers');
    assert.match(truncated.createdBy, /^umoci insert/);
    const target = `${images.layout}:truncated`;
    const result = await runCustoms(['inventory', target, '--format', 'json']);
    // The layer may be named by its full or its short digest; both contain the first 12 hex digits.
    assertScanError(
      result,
      [target, truncated.digest.slice('sha256:'.length, 'sha256:'.length + 12)],
      /truncated/i,
    );
  });
});
