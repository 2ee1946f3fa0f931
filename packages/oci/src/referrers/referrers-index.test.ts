import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseReferrersIndex, referrersTag } from './referrers-index.js';

it('referrersTag follows the examples of distribution-spec 1.1 "Referrers Tag Schema"', () => {
  assert.equal(referrersTag(`sha256:${'a'.repeat(64)}`), `sha256-${'a'.repeat(64)}`);
  assert.equal(referrersTag(`sha512:${'a'.repeat(128)}`), `sha512-${'a'.repeat(64)}`);
  assert.equal(
    referrersTag(
      'test+algorithm+using+algorithm+separators+and+lots+of+characters+to+excercise+overall+truncation:alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToExcerciseEncodedTruncation',
    ),
    'test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot',
  );
});

it('parseReferrersIndex takes an image index of descriptors and says why anything else is not one', () => {
  const descriptor = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${'b'.repeat(64)}`,
    size: 10,
    artifactType: 'application/spdx+json',
  };
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [descriptor],
  };
  assert.deepEqual(parseReferrersIndex(JSON.stringify(index)), index);
  assert.equal(parseReferrersIndex('{'), 'it is not JSON');
  assert.equal(
    parseReferrersIndex(
      JSON.stringify({ ...index, mediaType: 'application/vnd.oci.image.manifest.v1+json' }),
    ),
    'its mediaType is application/vnd.oci.image.manifest.v1+json',
  );
  assert.equal(
    parseReferrersIndex(JSON.stringify({ ...index, manifests: [{ digest: 'x' }] })),
    'an entry of its manifests is not a descriptor',
  );
});
