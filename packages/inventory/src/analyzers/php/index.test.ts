import assert from 'node:assert/strict';
import test from 'node:test';
import type { EntryInfo } from '@customs/layers';
import { FileSet } from '../../file-set.js';
import { composer } from './index.js';

const file: EntryInfo = { size: 9000, mode: 0o644, kind: 'file' };

test('composer asks for composer.lock and <vendor>/composer/installed.json', () => {
  assert.equal(composer.required('var/www/composer.lock', file), true);
  assert.equal(composer.required('var/www/vendor/composer/installed.json', file), true);
  assert.equal(composer.required('var/www/libs/composer/installed.json', file), true, 'a renamed vendor-dir');
  assert.equal(composer.required('var/www/composer.json', file), false);
  assert.equal(composer.required('var/www/vendor/composer/installed.php', file), false);
  assert.equal(composer.required('var/www/installed.json', file), false);
  assert.equal(composer.required('var/www/composer.lock', { ...file, kind: 'symlink' }), false);
});

test('each file is parsed on its own; a broken one becomes a warning', async () => {
  const result = await composer.analyze(
    new FileSet([
      {
        path: 'a/composer.lock',
        data: Buffer.from('{"packages":[{"name":"a/b","version":"1.0.0"}]}'),
        mode: 0o644,
      },
      { path: 'b/vendor/composer/installed.json', data: Buffer.from('{'), mode: 0o644 },
    ]),
    { isLanguagePath: () => false },
  );
  assert.deepEqual(
    result.packages.map((p) => `${p.path} ${p.name}@${p.version}`),
    ['a/composer.lock a/b@1.0.0'],
  );
  assert.equal(result.warnings?.length, 1);
  assert.match(result.warnings?.[0] ?? '', /installed\.json: not valid JSON/);
});
