import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '@customs/db';
import { ecosystemsInUse, ecosystemsOfImages } from './ecosystems-in-use.js';
import { OSV_ECOSYSTEMS } from './known-sources.js';

describe('ecosystems in use', () => {
  it('maps cached images to the ecosystems their packages are matched in', () => {
    assert.deepEqual(
      ecosystemsOfImages([
        { distro: { id: 'debian', versionId: '12' }, types: ['deb', 'pypi', 'npm'] },
        { distro: { id: 'alpine', versionId: '3.19.1' }, types: ['apk', 'golang'] },
        // A distroless image: only its language packages name an ecosystem.
        { distro: null, types: ['deb', 'cargo'] },
      ]),
      ['Alpine', 'Debian', 'Go', 'PyPI', 'crates.io', 'npm'],
    );
  });

  it('fetches what the images use, every known ecosystem only when nothing says otherwise', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      assert.deepEqual(await ecosystemsInUse(db, ecosystemsOfImages([{ distro: null, types: ['npm'] }])), [
        'npm',
      ]);
      assert.deepEqual(await ecosystemsInUse(db, ['Go', 'NotAnEcosystem']), ['Go']);
      assert.deepEqual(await ecosystemsInUse(db), [...OSV_ECOSYSTEMS]);
    } finally {
      await db.close();
    }
  });
});
